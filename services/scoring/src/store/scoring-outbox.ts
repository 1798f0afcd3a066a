import type pg from 'pg';
import type { Publication } from '../engine/publications.js';

/**
 * Where a publication waits for the bus: its own scoring_outbox row, or the rescoring_outbox row
 * holding its whole rescoring batch (services/scoring/src/rescoring/rescoring-outbox.ts).
 */
export interface OutboxEntry {
  readonly table: 'scoring_outbox' | 'rescoring_outbox';
  readonly id: string;
}

/**
 * A publication stored in an outbox, not yet acknowledged by the bus. Its value is the message as
 * JSON text, serialised once: the same text is stored and published.
 */
export interface PendingPublication {
  readonly entry: OutboxEntry;
  readonly leadId: string;
  readonly topic: string;
  readonly key: string;
  readonly value: string;
}

/**
 * The insert of the publications in the JSON array parameter `param` (see outboxRows), in
 * array order: identity ids increase with it.
 */
export const insertPublicationsSql = (param: string) => `
INSERT INTO scoring_outbox (lead_id, topic, key, value)
SELECT r.lead_id, r.topic, r.key, r.value
  FROM ROWS FROM (json_to_recordset(${param}::json) AS (lead_id text, topic text, key text, value json))
       WITH ORDINALITY AS r(lead_id, topic, key, value, n)
 ORDER BY n
RETURNING id`;

/** Publications with their values as JSON text, and the JSON array insertPublicationsSql expands. */
export interface OutboxRows {
  readonly values: readonly string[];
  readonly document: string;
}

/**
 * The outbox rows of `publications`. Each value is serialised once and spliced into the document
 * as it is: the text is then the message published, and no message is serialised twice.
 *
 * The document grows by appending to one string: a template string per row joined at the end
 * cost half as much again, 7.2 against 5.0 ms of CPU for 1,000 score-changed messages serialised
 * and written by the driver (docs/BENCHMARKS.md, tenth session).
 */
export function outboxRows(publications: readonly Publication[]): OutboxRows {
  const values: string[] = [];
  let document = '[';
  for (const { leadId, topic, key, value } of publications) {
    const text = JSON.stringify(value);
    values.push(text);
    if (values.length > 1) document += ',';
    document += `{"lead_id":${JSON.stringify(leadId)},"topic":${JSON.stringify(topic)},"key":${JSON.stringify(key)},"value":`;
    document += text;
    document += '}';
  }
  return { values, document: `${document}]` };
}

/** `publications` as stored in `outbox`'s values, the i-th in the entry `entryOf(i)` names. */
export function storedPublications(
  publications: readonly Publication[],
  outbox: OutboxRows,
  entryOf: (index: number) => OutboxEntry,
): PendingPublication[] {
  return publications.map(({ leadId, topic, key }, i) => ({
    entry: entryOf(i),
    leadId,
    topic,
    key,
    value: outbox.values[i]!,
  }));
}

/**
 * Publications of the leads in `leads` (a text[] expression) left behind by a batch whose
 * transaction committed but whose publish did not complete (crash, broker outage): the
 * redelivered batch publishes them first. Only leads of the batch in hand: they are on this
 * member's partition, so no other member is publishing them, and their messages stay in order
 * ahead of the batch's new ones.
 */
export const pendingPublicationsSql = (leads: string) => `
SELECT id, lead_id, topic, key, value::text AS value
  FROM scoring_outbox
 WHERE lead_id = ANY(${leads})
 ORDER BY id
   FOR UPDATE`;

/** A scoring_outbox row as selected by the outbox reads (value as text: `value::text`). */
export interface OutboxRow {
  readonly id: string;
  readonly lead_id: string;
  readonly topic: string;
  readonly key: string;
  readonly value: string;
}

export function toPendingPublication(row: OutboxRow): PendingPublication {
  return {
    entry: { table: 'scoring_outbox', id: row.id },
    leadId: row.lead_id,
    topic: row.topic,
    key: row.key,
    value: row.value,
  };
}

// synchronous_commit off for this statement's own transaction only: set_config(..., true) lasts
// until the transaction ends, and the setting is read at commit. Each uncorrelated subquery runs
// once, before its delete removes a row (a statement that deletes nothing has nothing to flush).
const deleteSql = `
WITH batches AS (
  DELETE FROM rescoring_outbox
   WHERE id = ANY($2::bigint[])
     AND (SELECT set_config('synchronous_commit', 'off', true)) IS NOT NULL
)
DELETE FROM scoring_outbox
 WHERE id = ANY($1::bigint[])
   AND (SELECT set_config('synchronous_commit', 'off', true)) IS NOT NULL`;

/**
 * Forgets publications the bus acknowledged: one statement, a transaction of its own whose
 * commit does not wait for the WAL flush.
 *
 * Why that loses nothing: such a commit can only be lost when PostgreSQL itself crashes within
 * a fraction of a second after it (never half-applied). A lost delete leaves these entries in the
 * outbox, and the next batch of their leads publishes them again: a duplicate, which the topics'
 * at-least-once contract already allows (a crash between the publish and this delete does the
 * same). No score, offset or other write depends on the delete having happened.
 *
 * A pool, never a client: the statement must commit on its own, not inside a caller's transaction.
 */
export async function deletePublications(
  pool: pg.Pool,
  published: readonly PendingPublication[],
): Promise<void> {
  if (published.length === 0) return;
  const ids = { scoring_outbox: new Set<string>(), rescoring_outbox: new Set<string>() };
  for (const { entry } of published) ids[entry.table].add(entry.id);
  await pool.query({
    name: 'delete-publications',
    text: deleteSql,
    values: [[...ids.scoring_outbox], [...ids.rescoring_outbox]],
  });
}
