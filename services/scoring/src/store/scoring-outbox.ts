import type pg from 'pg';
import type { Publication } from '../engine/publications.js';

/** A publication stored in scoring_outbox, not yet acknowledged by the bus. */
export interface PendingPublication extends Publication {
  readonly id: string;
}

const insertSql = `
INSERT INTO scoring_outbox (lead_id, topic, key, value)
SELECT r.lead_id, r.topic, r.key, r.value
  FROM ROWS FROM (jsonb_to_recordset($1::jsonb) AS (lead_id text, topic text, key text, value jsonb))
       WITH ORDINALITY AS r(lead_id, topic, key, value, n)
 ORDER BY n
RETURNING id`;

/**
 * Stores publications in the caller's transaction, in order (ids increase with it), so they are
 * durable exactly when the scores that produced them are.
 */
export async function storePublications(
  client: pg.ClientBase,
  publications: readonly Publication[],
): Promise<PendingPublication[]> {
  if (publications.length === 0) return [];
  const records = publications.map(({ leadId, topic, key, value }) => ({
    lead_id: leadId,
    topic,
    key,
    value,
  }));
  const { rows } = await client.query<{ id: string }>(insertSql, [JSON.stringify(records)]);
  // RETURNING follows the insertion order, which ORDER BY n fixed.
  return publications.map((publication, i) => ({ ...publication, id: rows[i]!.id }));
}

// Only leads of the batch in hand: they are on this member's partition, so no other member is
// publishing them, and their messages stay in order ahead of the batch's new ones.
const pendingSql = `
SELECT id, lead_id, topic, key, value
  FROM scoring_outbox
 WHERE lead_id = ANY($1::text[])
 ORDER BY id
   FOR UPDATE`;

/**
 * Publications of these leads left behind by a batch whose transaction committed but whose
 * publish did not complete (crash, broker outage); the redelivered batch publishes them first.
 */
export async function pendingPublications(
  client: pg.ClientBase,
  leadIds: readonly string[],
): Promise<PendingPublication[]> {
  const { rows } = await client.query<OutboxRow>(pendingSql, [leadIds]);
  return rows.map(toPendingPublication);
}

/** A scoring_outbox row as selected by the outbox reads. */
export interface OutboxRow {
  readonly id: string;
  readonly lead_id: string;
  readonly topic: string;
  readonly key: string;
  readonly value: Publication['value'];
}

export function toPendingPublication(row: OutboxRow): PendingPublication {
  return { id: row.id, leadId: row.lead_id, topic: row.topic, key: row.key, value: row.value };
}

/** Forgets publications the bus acknowledged. */
export async function deletePublications(db: pg.Pool | pg.ClientBase, ids: readonly string[]): Promise<void> {
  if (ids.length === 0) return;
  await db.query('DELETE FROM scoring_outbox WHERE id = ANY($1::bigint[])', [ids]);
}
