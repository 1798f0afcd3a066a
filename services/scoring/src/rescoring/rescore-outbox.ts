import type pg from 'pg';
import { type OutboxRow, type PendingPublication, toPendingPublication } from '../store/scoring-outbox.js';

// Rows of any rescoring job: a job that finished (or crashed) between committing a batch and
// publishing it leaves them here. SKIP LOCKED: rows a scorer or another instance holds are being
// published by it. The outbox only holds unacknowledged messages, so the scan stays small. (A
// json document: `->` finds the key; a null value would still be a json 'null', not SQL NULL.)
const leftoversSql = `
SELECT id, lead_id, topic, key, value::text AS value
  FROM scoring_outbox
 WHERE value -> 'rescore' IS NOT NULL
 ORDER BY id
 LIMIT $1
   FOR UPDATE SKIP LOCKED`;

export async function rescoreLeftovers(client: pg.ClientBase, limit: number): Promise<PendingPublication[]> {
  const { rows } = await client.query<OutboxRow>(leftoversSql, [limit]);
  return rows.map(toPendingPublication);
}
