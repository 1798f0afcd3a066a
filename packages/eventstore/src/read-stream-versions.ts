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
