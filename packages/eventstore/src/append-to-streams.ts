import type pg from 'pg';
import { ConcurrentAppendError } from './errors.js';
import { type AppendPlan, planAppend, type StreamAppend, validateAppends } from './plan-append.js';
import { atomically } from './transaction.js';
import type { Queryable } from './types.js';

export type { StreamAppend } from './plan-append.js';

export interface AppendedEvent {
  readonly eventId: string;
  readonly streamId: string;
  readonly streamPosition: number;
  readonly globalPosition: bigint;
}

export interface AppendToStreamsResult {
  /** The events stored by this call, in the order given. */
  readonly appended: readonly AppendedEvent[];
  /** Ids not stored because they already were (or were repeated in the request). */
  readonly skippedEventIds: readonly string[];
  /** Each stream's version after the append: pass it as the next expectedVersion. */
  readonly streamVersions: ReadonlyMap<string, number>;
}

const maxAttempts = 3;

/**
 * Appends to several streams in one transaction: all of it is stored or none of it.
 * Given a pool it commits on its own; given a client it joins the caller's transaction.
 * Throws StreamVersionConflictError when a stream is not at its expected version.
 *
 * A handful of round trips per call whatever its size (lock, look-up, one multi-row insert),
 * so large batches are cheap: the ingest consumer appends a whole Kafka batch in one call.
 * Call it before other writes of your transaction: the transaction id is then taken after the
 * stream locks, which keeps every stream's events in stream order in the global log.
 */
export async function appendToStreams(
  db: Queryable,
  appends: readonly StreamAppend[],
): Promise<AppendToStreamsResult> {
  validateAppends(appends);
  if (appends.every((append) => append.events.length === 0)) {
    return { appended: [], skippedEventIds: [], streamVersions: await readVersions(db, appends) };
  }
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await atomically(db, 'appendToStreams', (client) => appendOnce(client, appends));
    } catch (error) {
      if (!(error instanceof IdsStoredConcurrently) || attempt >= maxAttempts) {
        throw error instanceof IdsStoredConcurrently ? new ConcurrentAppendError(attempt) : error;
      }
    }
  }
}

class IdsStoredConcurrently extends Error {}

async function appendOnce(
  client: pg.ClientBase,
  appends: readonly StreamAppend[],
): Promise<AppendToStreamsResult> {
  const streamIds = appends.map((append) => append.streamId);
  await lockStreams(client, streamIds);
  const eventIds = appends.flatMap((append) => append.events.map((event) => event.id));
  const storedIds = await findStoredIds(client, eventIds);
  const versions = await readVersions(client, appends);
  const plan = planAppend(appends, storedIds, versions);
  const appended = plan.rows.length === 0 ? [] : await insertRows(client, plan);
  return { appended, skippedEventIds: plan.skippedEventIds, streamVersions: plan.nextVersions };
}

// Two-key advisory locks live apart from the one-key locks other tools take (node-pg-migrate).
const streamLockClass = 0x657374; // 'est'

/**
 * Serialises appenders per stream. Advisory locks, not row locks, because they do not make
 * PostgreSQL assign a transaction id: the id is assigned at the insert, after every lock is
 * held, so a later append to a stream always gets a higher transaction id. Locks are taken in
 * hash order, so two batches sharing streams cannot deadlock.
 */
async function lockStreams(client: pg.ClientBase, streamIds: readonly string[]): Promise<void> {
  await client.query(
    `SELECT count(pg_advisory_xact_lock($1::int, key))
       FROM (SELECT DISTINCT hashtext(stream_id) AS key FROM unnest($2::text[]) AS stream_id ORDER BY key) AS keys`,
    [streamLockClass, streamIds],
  );
}

async function findStoredIds(client: pg.ClientBase, eventIds: readonly string[]): Promise<Set<string>> {
  const { rows } = await client.query<{ event_id: string }>(
    'SELECT event_id FROM eventstore.messages WHERE event_id = ANY($1::text[])',
    [eventIds],
  );
  return new Set(rows.map((row) => row.event_id));
}

async function readVersions(db: Queryable, appends: readonly StreamAppend[]): Promise<Map<string, number>> {
  const { rows } = await db.query<{ stream_id: string; version: string }>(
    'SELECT stream_id, version FROM eventstore.streams WHERE stream_id = ANY($1::text[])',
    [appends.map((append) => append.streamId)],
  );
  const versions = new Map(appends.map((append) => [append.streamId, 0]));
  for (const row of rows) versions.set(row.stream_id, Number(row.version));
  return versions;
}

/** One statement: insert every row from parallel arrays, then move the streams' versions. */
const insertSql = `
WITH inserted AS (
  INSERT INTO eventstore.messages (stream_id, stream_position, event_id, type, data, metadata, occurred_at)
  SELECT stream_id, stream_position, event_id, type, data, metadata, occurred_at
    FROM unnest($1::text[], $2::bigint[], $3::text[], $4::text[], $5::jsonb[], $6::jsonb[], $7::timestamptz[])
         WITH ORDINALITY AS row (stream_id, stream_position, event_id, type, data, metadata, occurred_at, ordinal)
   ORDER BY ordinal
  ON CONFLICT (event_id) DO NOTHING
  RETURNING event_id, stream_id, stream_position, global_position
), moved AS (
  INSERT INTO eventstore.streams AS stream (stream_id, version)
  SELECT stream_id, max(stream_position) FROM inserted GROUP BY stream_id
  ON CONFLICT (stream_id) DO UPDATE SET version = excluded.version, updated_at = now()
)
SELECT event_id, stream_id, stream_position, global_position FROM inserted ORDER BY global_position`;

async function insertRows(client: pg.ClientBase, plan: AppendPlan): Promise<AppendedEvent[]> {
  const { rows } = plan;
  const result = await client.query<{
    event_id: string;
    stream_id: string;
    stream_position: string;
    global_position: string;
  }>(insertSql, [
    rows.map((row) => row.streamId),
    rows.map((row) => row.streamPosition),
    rows.map((row) => row.event.id),
    rows.map((row) => row.event.type),
    rows.map((row) => JSON.stringify(row.event.data ?? null)),
    rows.map((row) => (row.event.metadata === undefined ? null : JSON.stringify(row.event.metadata))),
    rows.map((row) => row.event.occurredAt.toISOString()),
  ]);
  // ON CONFLICT skipped ids another transaction committed after our look-up: the positions
  // planned for them would be holes, so start over (the retry sees them as stored).
  if (result.rows.length !== rows.length) throw new IdsStoredConcurrently();
  return result.rows.map((row) => ({
    eventId: row.event_id,
    streamId: row.stream_id,
    streamPosition: Number(row.stream_position),
    globalPosition: BigInt(row.global_position),
  }));
}
