import type pg from 'pg';
import type { LeadScoreRecord } from '../engine/lead-record.js';
import type { Publication } from '../engine/publications.js';
import { leadScoreParameters, upsertLeadScoresSql } from './lead-scores.js';
import { outboxRows, type PendingPublication, storedAsBatch } from './scoring-outbox.js';

/**
 * A scored batch's writes as ONE statement (one round trip, prepared once per connection): at the
 * live tail a batch holds a few dozen events, and every statement costs the scorer and its
 * backend about as much as a dozen rows do. Its messages go into ONE outbox_batches row
 * (migrations/0010), naming the leads whose messages it holds; a row per message cost the database
 * a heap row, two index entries and a delete each. The range is taken in SQL, in the database's
 * collation, which the unpacking compares with (unpackBatchesSql).
 */
const storeBatchSql = `
WITH upserted AS (${upsertLeadScoresSql(3)}
)
INSERT INTO outbox_batches (first_lead_id, last_lead_id, lead_ids, messages)
SELECT min(lead), max(lead), array_agg(DISTINCT lead), $2::text
  FROM unnest($1::text[]) AS lead
HAVING $2::text IS NOT NULL
RETURNING id`;

/**
 * Writes `records` and stores `publications` (returned with their outbox entry, in their order), in
 * the caller's transaction: the publications are durable exactly when the scores that produced
 * them are.
 */
export async function storeScoredBatch(
  client: pg.ClientBase,
  records: readonly LeadScoreRecord[],
  publications: readonly Publication[],
): Promise<PendingPublication[]> {
  if (records.length === 0 && publications.length === 0) return [];
  const outbox = outboxRows(publications);
  const { rows } = await client.query<{ id: string }>({
    name: 'store-scored-batch',
    text: storeBatchSql,
    values: [
      publications.map(({ leadId }) => leadId),
      publications.length === 0 ? null : outbox.document,
      ...leadScoreParameters(records),
    ],
  });
  return storedAsBatch(publications, outbox, rows);
}
