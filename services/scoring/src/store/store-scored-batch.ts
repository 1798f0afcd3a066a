import type pg from 'pg';
import type { LeadScoreRecord } from '../engine/lead-record.js';
import type { Publication } from '../engine/publications.js';
import { leadScoreParameters, upsertLeadScoresSql } from './lead-scores.js';
import {
  insertPublicationsSql,
  outboxRows,
  type PendingPublication,
  storedPublications,
} from './scoring-outbox.js';

/**
 * A scored batch's writes as ONE statement (one round trip, prepared once per connection): at the
 * live tail a batch holds a few dozen events, and every statement costs the scorer and its
 * backend about as much as a dozen rows do.
 */
const storeBatchSql = `
WITH upserted AS (${upsertLeadScoresSql(2)}
)
${insertPublicationsSql('$1')}`;

/**
 * Writes `records` and stores `publications` (returned with their outbox ids, in their order), in
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
    values: [outbox.document, ...leadScoreParameters(records)],
  });
  if (rows.length !== publications.length) {
    throw new Error(`stored ${rows.length} of ${publications.length} publications`);
  }
  // RETURNING follows the insertion order, which ORDER BY n fixed.
  return storedPublications(publications, outbox, (i) => ({ table: 'scoring_outbox', id: rows[i]!.id }));
}
