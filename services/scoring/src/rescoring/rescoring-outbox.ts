import type pg from 'pg';
import type { LeadScoreRecord } from '../engine/lead-record.js';
import type { Publication } from '../engine/publications.js';
import { leadScoreParameters, upsertLeadScoresSql } from '../store/lead-scores.js';
import {
  type OutboxRow,
  outboxRows,
  type PendingPublication,
  storedPublications,
  toPendingPublication,
} from '../store/scoring-outbox.js';

/*
 * A rescoring batch stores its messages as ONE rescoring_outbox row (migrations/0009): one row per
 * message cost the database more than the rest of the batch's writes but the lead_scores upsert.
 * The row names the batch's lead range, so that a live scorer whose leads it may hold unpacks it
 * into scoring_outbox rows before reading its leads' left-overs (unpackRescoringBatchesSql): the
 * messages of a lead then still leave in the order they were stored.
 */

/** A JSON array of the messages as outboxRows writes them, as stored in rescoring_outbox.messages. */
type StoredMessages = { lead_id: string; topic: string; key: string; value: unknown }[];

const storeSql = `
WITH upserted AS (${upsertLeadScoresSql(4)}
)
INSERT INTO rescoring_outbox (first_lead_id, last_lead_id, messages)
SELECT $1, $2, $3::text
 WHERE $3::text IS NOT NULL
RETURNING id`;

/** The lead ids a batch covers, first and last in lead_id order. */
export interface LeadRange {
  readonly first: string;
  readonly last: string;
}

/**
 * Writes a rescoring batch's records and stores its publications as one rescoring_outbox row, in
 * the caller's transaction and in one statement: the publications are durable exactly when the
 * scores that produced them are. Returns them in their order, to publish once committed.
 */
export async function storeRescoredBatch(
  client: pg.ClientBase,
  range: LeadRange,
  records: readonly LeadScoreRecord[],
  publications: readonly Publication[],
): Promise<PendingPublication[]> {
  if (records.length === 0 && publications.length === 0) return [];
  const outbox = outboxRows(publications);
  const { rows } = await client.query<{ id: string }>({
    name: 'store-rescored-batch',
    text: storeSql,
    values: [
      range.first,
      range.last,
      publications.length === 0 ? null : outbox.document,
      ...leadScoreParameters(records),
    ],
  });
  const id = rows[0]?.id;
  if (publications.length === 0) return [];
  if (id === undefined) throw new Error(`stored no row for ${publications.length} publications`);
  return storedPublications(publications, outbox, () => ({ table: 'rescoring_outbox', id }));
}

/**
 * Unpacks the rescoring batches that may hold messages of the leads in `leads` (a text[]
 * expression) into scoring_outbox rows, in their order, and deletes them: the live scorer's
 * batch runs it before reading its leads' left-overs. A row left only when a rescoring batch
 * committed and its publish did not complete; unpacked, each lead's messages wait for the next
 * batch of that lead, or for the rescoring job's own pass over the left-overs.
 */
export const unpackRescoringBatchesSql = (leads: string) => `
WITH unpacked AS (
  DELETE FROM rescoring_outbox
   WHERE EXISTS (SELECT 1 FROM unnest(${leads}) AS lead WHERE lead BETWEEN first_lead_id AND last_lead_id)
  RETURNING id, messages
)
INSERT INTO scoring_outbox (lead_id, topic, key, value)
SELECT r.lead_id, r.topic, r.key, r.value
  FROM unpacked AS u,
       ROWS FROM (json_to_recordset(u.messages::json) AS (lead_id text, topic text, key text, value json))
       WITH ORDINALITY AS r(lead_id, topic, key, value, n)
 ORDER BY u.id, r.n`;

// Left-overs of any rescoring job: batches whose job finished (or crashed) between the commit and
// the publish, whole or unpacked by a live scorer. SKIP LOCKED: entries a scorer or another
// instance holds are being published by it. The outboxes only hold unacknowledged messages, so
// the scans stay small. (A json document: `->` finds the key; a null value would still be a json
// 'null', not SQL NULL.)
export const leftoverBatchesSql = `
SELECT id, messages
  FROM rescoring_outbox
 ORDER BY id
 LIMIT 1
   FOR UPDATE SKIP LOCKED`;

export const leftoverRowsSql = `
SELECT id, lead_id, topic, key, value::text AS value
  FROM scoring_outbox
 WHERE value -> 'rescore' IS NOT NULL
 ORDER BY id
 LIMIT $1
   FOR UPDATE SKIP LOCKED`;

/**
 * What earlier batches of rescoring jobs left to publish, from the results of leftoverRowsSql
 * (unpacked rows, up to its limit) and leftoverBatchesSql (the oldest whole batch): in that order.
 * A job holds each lead in one batch, so only left-overs of two jobs, one unpacked and one not,
 * can leave a lead's two messages in the other order; the projector ignores the older one then
 * (it decides on the latest position only).
 */
export function rescoreLeftovers(unpacked: pg.QueryResult, batches: pg.QueryResult): PendingPublication[] {
  return [
    ...(unpacked.rows as OutboxRow[]).map(toPendingPublication),
    ...(batches.rows as { id: string; messages: string }[]).flatMap(({ id, messages }) =>
      (JSON.parse(messages) as StoredMessages).map(
        ({ lead_id, topic, key, value }): PendingPublication => ({
          entry: { table: 'rescoring_outbox', id },
          leadId: lead_id,
          topic,
          key,
          // The stored text is JSON.stringify's; parsed and written again it is that text.
          value: JSON.stringify(value),
        }),
      ),
    ),
  ];
}
