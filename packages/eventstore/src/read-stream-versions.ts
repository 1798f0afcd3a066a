import { AppendOrderConflictError } from './errors.js';
import type { Queryable } from './types.js';

// LATERAL ... LIMIT 1: one index probe per stream whatever the planner's statistics say.
const readStreamVersionsSql = `
SELECT wanted.id AS stream_id, stream.version
  FROM unnest($1::text[]) AS wanted (id),
       LATERAL (SELECT version FROM eventstore.streams WHERE stream_id = wanted.id LIMIT 1) AS stream`;

/**
 * The current version of each stream (0 for a stream without events), in one query: what a
 * writer deciding on many streams at once passes as their expected versions.
 */
export async function readStreamVersions(
  db: Queryable,
  streamIds: readonly string[],
): Promise<Map<string, number>> {
  const versions = new Map(streamIds.map((streamId) => [streamId, 0]));
  if (streamIds.length === 0) return versions;
  const { rows } = await db.query<{ stream_id: string; version: string }>(readStreamVersionsSql, [streamIds]);
  for (const row of rows) versions.set(row.stream_id, Number(row.version));
  return versions;
}

// The stream's version and whether its latest event's transaction is younger than this one
// (pg_current_xact_id() gives this transaction its id if it has none yet). One probe of each
// table's primary key per stream.
const readVersionsToAppendSql = `
SELECT wanted.id AS stream_id, stream.version, latest.transaction_id > pg_current_xact_id() AS younger
  FROM unnest($1::text[]) AS wanted (id),
       LATERAL (SELECT version FROM eventstore.streams WHERE stream_id = wanted.id LIMIT 1) AS stream,
       LATERAL (SELECT transaction_id FROM eventstore.messages
                 WHERE stream_id = wanted.id ORDER BY stream_position DESC LIMIT 1) AS latest`;

/**
 * readStreamVersions for a writer that locks its own rows before it appends (the projector):
 * refuses with AppendOrderConflictError when a stream's latest event comes from a transaction
 * younger than the caller's. Such a writer may have its transaction id from a lock taken before it
 * waited for another writer of the stream; the append's own stream lock comes too late to order
 * it. Appends that take no lock before the stream's (appendToStreams alone) never meet this.
 */
export async function readStreamVersionsToAppend(
  db: Queryable,
  streamIds: readonly string[],
): Promise<Map<string, number>> {
  const versions = new Map(streamIds.map((streamId) => [streamId, 0]));
  if (streamIds.length === 0) return versions;
  const { rows } = await db.query<{ stream_id: string; version: string; younger: boolean }>(
    readVersionsToAppendSql,
    [streamIds],
  );
  for (const row of rows) {
    if (row.younger) throw new AppendOrderConflictError(row.stream_id);
    versions.set(row.stream_id, Number(row.version));
  }
  return versions;
}
