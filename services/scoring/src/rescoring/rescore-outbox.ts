import type pg from 'pg';
import type { PendingPublication } from '../store/scoring-outbox.js';

// Rows of any rescoring job: a job that finished (or crashed) between committing a batch and
// publishing it leaves them here. SKIP LOCKED: rows a scorer or another instance holds are being
// published by it. The outbox only holds unacknowledged messages, so the scan stays small.
const leftoversSql = `
SELECT id, lead_id, topic, key, value
  FROM scoring_outbox
 WHERE value ? 'rescore'
 ORDER BY id
 LIMIT $1
   FOR UPDATE SKIP LOCKED`;

export async function rescoreLeftovers(client: pg.ClientBase, limit: number): Promise<PendingPublication[]> {
  const { rows } = await client.query<{
    id: string;
    lead_id: string;
    topic: string;
    key: string;
    value: PendingPublication['value'];
  }>(leftoversSql, [limit]);
  return rows.map((row) => ({
    id: row.id,
    leadId: row.lead_id,
    topic: row.topic,
    key: row.key,
    value: row.value,
  }));
}
