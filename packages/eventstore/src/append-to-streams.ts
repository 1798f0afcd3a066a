import pg from 'pg';
import { ConcurrentAppendError } from './errors.js';
import { type IdConflict, idConflicts } from './id-conflicts.js';
import {
  type AppendPlan,
  type PlannedRow,
  planAppend,
  type StreamAppend,
  validateAppends,
} from './plan-append.js';
import { readStreamVersions } from './read-stream-versions.js';
import { type SessionStatements, sessionStatements } from './session-statements.js';
import { atomicallyOpenedWith, type Opening } from './transaction.js';
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
  /** Of those, the events whose id names an event of another stream: they are not stored anywhere. */
  readonly conflicts: readonly IdConflict[];
  /** Each stream's version after the append: pass it as the next expectedVersion. */
  readonly streamVersions: ReadonlyMap<string, number>;
}

const maxAttempts = 3;

/**
 * Appends to several streams in one transaction: all of it is stored or none of it.
 * Given a pool it commits on its own; given a client it joins the caller's transaction.
 * Throws StreamVersionConflictError when a stream is not at its expected version.
 *
 * Three round trips per call whatever its size (BEGIN with the locks and the look-up, one
 * multi-row insert, COMMIT), so large batches are cheap: the ingest consumer appends a whole
 * Kafka batch in one call.
 * Call it before other writes of your transaction: the transaction id is then taken after the
 * stream locks, which keeps every stream's events in stream order in the global log.
 */
export async function appendToStreams(
  db: Queryable,
  appends: readonly StreamAppend[],
): Promise<AppendToStreamsResult> {
  validateAppends(appends);
  if (appends.every((append) => append.events.length === 0)) {
    const streamVersions = await readStreamVersions(
      db,
      appends.map((append) => append.streamId),
    );
    return { appended: [], skippedEventIds: [], conflicts: [], streamVersions };
  }
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await atomicallyOpenedWith(db, 'appendToStreams', lockAndLookUp(appends), (client, opened) =>
        appendOnce(client, appends, opened),
      );
    } catch (error) {
      if (!isRaceWithAnotherAppend(error)) throw error;
      if (attempt >= maxAttempts) throw new ConcurrentAppendError(attempt);
    }
  }
}

class IdsStoredConcurrently extends Error {}

const deadlockDetected = '40P01';

/**
 * Races a fresh attempt resolves: an id committed by another writer after our look-up, or two
 * batches inserting the same ids in opposite orders (PostgreSQL breaks that deadlock by failing
 * one of them).
 */
function isRaceWithAnotherAppend(error: unknown): boolean {
  return error instanceof IdsStoredConcurrently || (error as { code?: string }).code === deadlockDetected;
}

async function appendOnce(
  client: pg.ClientBase,
  appends: readonly StreamAppend[],
  opened: readonly pg.QueryResult[],
): Promise<AppendToStreamsResult> {
  const { storedStreams, versions } = lookedUp(appends, opened);
  const plan = planAppend(appends, new Set(storedStreams.keys()), versions);
  const appended = plan.rows.length === 0 ? [] : await insertRows(client, plan, versions);
  return {
    appended,
    skippedEventIds: plan.skippedEventIds,
    conflicts: plan.skippedEventIds.length === 0 ? [] : idConflicts(appends, storedStreams),
    streamVersions: plan.nextVersions,
  };
}

// Two-key advisory locks live apart from the one-key locks other tools take (node-pg-migrate).
const streamLockClass = 0x657374; // 'est'

/**
 * The transaction's first two statements, prepared once per connection (so neither is parsed nor
 * planned again) and executed with its BEGIN as one simple query (so without parameters: the ids
 * travel as escaped JSON array literals).
 *
 * The first serialises appenders per stream. Advisory locks, not row locks, because they do not
 * make PostgreSQL assign a transaction id: the id is assigned at the insert, after every lock is
 * held, so a later append to a stream always gets a higher transaction id. Locks are taken in
 * hash order, so two batches sharing streams cannot deadlock.
 *
 * The second reads which ids are stored and each stream's version. It must be a statement of its
 * own after the lock statement: under READ COMMITTED a statement sees what was committed when it
 * started, and only one started once the locks are held sees the previous holder's commit. A
 * stored id comes back with its stream and a NULL version, a stream with its version. LATERAL ...
 * LIMIT 1 makes it one index probe per key whatever the planner's statistics say (with `= ANY` it
 * seq-scans young or bloated tables: three times slower at a few 10,000 rows).
 */
const appendStatements: SessionStatements = {
  eventstore_append_lock: `(jsonb) AS
SELECT count(pg_advisory_xact_lock(${streamLockClass}, key))
  FROM (SELECT DISTINCT hashtext(stream_id) AS key
          FROM jsonb_array_elements_text($1) AS stream_id ORDER BY key) AS keys`,
  eventstore_append_look_up: `(jsonb, jsonb) AS
SELECT wanted.id AS event_id, stored.stream_id, NULL::bigint AS version
  FROM jsonb_array_elements_text($1) AS wanted (id),
       LATERAL (SELECT m.stream_id FROM eventstore.messages AS m WHERE m.event_id = wanted.id LIMIT 1) AS stored
UNION ALL
SELECT wanted.id, NULL, stream.version
  FROM jsonb_array_elements_text($2) AS wanted (id),
       LATERAL (SELECT version FROM eventstore.streams WHERE stream_id = wanted.id LIMIT 1) AS stream`,
};

const prepareAppendStatements = sessionStatements('eventstore-append', appendStatements);

function lockAndLookUp(appends: readonly StreamAppend[]): Opening {
  return async (client) => {
    await prepareAppendStatements(client);
    const streamIds = pg.escapeLiteral(JSON.stringify(appends.map((append) => append.streamId)));
    const eventIds = pg.escapeLiteral(
      JSON.stringify(appends.flatMap((append) => append.events.map((event) => event.id))),
    );
    return `EXECUTE eventstore_append_lock (${streamIds}); EXECUTE eventstore_append_look_up (${eventIds}, ${streamIds})`;
  };
}

/**
 * The look-up's answer (the last result of the opening): the stored ids with their streams, and
 * the streams' versions (0 when new).
 */
function lookedUp(
  appends: readonly StreamAppend[],
  opened: readonly pg.QueryResult[],
): { storedStreams: Map<string, string>; versions: Map<string, number> } {
  const versions = new Map<string, number>();
  for (const append of appends) versions.set(append.streamId, 0);
  const storedStreams = new Map<string, string>();
  type Row = { event_id: string; stream_id: string | null; version: string | null };
  for (const row of (opened.at(-1)?.rows ?? []) as Row[]) {
    if (row.version === null) storedStreams.set(row.event_id, row.stream_id ?? '');
    else versions.set(row.event_id, Number(row.version));
  }
  return { storedStreams, versions };
}

/**
 * One statement: insert every planned row, then move the streams' versions and first occurrences.
 * No ON CONFLICT: the ids were looked up under the stream locks, and speculative insertion
 * costs about a third of the insert; an id committed concurrently by another stream's writer
 * surfaces as a unique violation instead, and the append starts over.
 *
 * The rows travel as ONE jsonb array of objects (see `rowsDocument`), not as parallel `jsonb[]`
 * and `text[]` parameters: an array literal makes the client escape every quote of every event's
 * JSON and the server unescape it again, which cost more CPU than the rest of the append. Parsed
 * once as jsonb, `data` and `metadata` are taken out as jsonb values, never re-parsed; an absent
 * `m` key is SQL NULL, a present one is kept as given.
 *
 * Streams that exist move their version by an upsert whose rows all conflict: ON CONFLICT finds
 * each by a primary key probe. An UPDATE ... FROM unnest(...) kept the plan it was prepared with
 * while the table was young, a hash join over a scan of every stream, for every append.
 *
 * A stream's first occurrence is the earliest occurred_at of its events in any order of arrival:
 * the batch's earliest new event moves it back when it is earlier (a backfill), never forward.
 * The earliest per stream comes from the plan (`earliestNewOccurrences`), so skipped duplicates,
 * whatever time they carry, move nothing.
 */
const insertSql = `
WITH inserted AS (
  INSERT INTO eventstore.messages (stream_id, stream_position, event_id, type, data, metadata, occurred_at)
  SELECT row->>'s', (row->>'p')::bigint, row->>'i', row->>'t', row->'d', row->'m', (row->>'o')::timestamptz
    FROM jsonb_array_elements($1::jsonb) WITH ORDINALITY AS planned (row, ordinal)
   ORDER BY ordinal
  RETURNING event_id, stream_id, stream_position, global_position
), moved AS (
  INSERT INTO eventstore.streams AS stream (stream_id, version, first_occurred_at)
  SELECT * FROM unnest($2::text[], $3::bigint[], $4::timestamptz[]) AS moved (stream_id, version, first_occurred_at)
      ON CONFLICT (stream_id) DO UPDATE SET version = excluded.version, updated_at = now(),
         first_occurred_at = least(stream.first_occurred_at, excluded.first_occurred_at)
), created AS (
  INSERT INTO eventstore.streams (stream_id, version, first_occurred_at)
  SELECT * FROM unnest($5::text[], $6::bigint[], $7::timestamptz[]) AS created (stream_id, version, first_occurred_at)
)
SELECT event_id, stream_id, stream_position, global_position FROM inserted ORDER BY global_position`;

const uniqueViolation = '23505';

/** The planned rows as the JSON text `insertSql` reads: one native JSON.stringify for all of them. */
function rowsDocument(rows: readonly PlannedRow[]): string {
  return JSON.stringify(
    rows.map((row) => ({
      s: row.streamId,
      p: row.streamPosition,
      i: row.event.id,
      t: row.event.type,
      // Data is NOT NULL: an event without data stores JSON null, as before.
      d: row.event.data ?? null,
      // Left out when undefined (JSON.stringify drops the key), so the column is SQL NULL.
      m: row.event.metadata,
      o: row.event.occurredAt.toISOString(),
    })),
  );
}

/** What an append writes to one stream's row. */
interface StreamMove {
  readonly streamId: string;
  readonly version: number;
  /** The earliest occurredAt of the stream's new events, as ISO-8601. */
  readonly earliest: string;
}

/** The moves as the three parallel arrays `insertSql` unnests: ids, versions, earliest occurrences. */
function streamColumns(moves: readonly StreamMove[]): [string[], number[], string[]] {
  return [
    moves.map((move) => move.streamId),
    moves.map((move) => move.version),
    moves.map((move) => move.earliest),
  ];
}

async function insertRows(
  client: pg.ClientBase,
  plan: AppendPlan,
  currentVersions: ReadonlyMap<string, number>,
): Promise<AppendedEvent[]> {
  const { rows } = plan;
  const moved: StreamMove[] = [];
  const created: StreamMove[] = [];
  for (const [streamId, version] of plan.nextVersions) {
    const earliest = plan.earliestNewOccurrences.get(streamId);
    if (earliest === undefined) continue; // nothing new: the stream's row stays as it is
    const current = currentVersions.get(streamId) ?? 0;
    (current === 0 ? created : moved).push({ streamId, version, earliest: earliest.toISOString() });
  }
  try {
    const result = await client.query<{
      event_id: string;
      stream_id: string;
      stream_position: string;
      global_position: string;
    }>({ name: 'eventstore_append_insert', text: insertSql }, [
      rowsDocument(rows),
      ...streamColumns(moved),
      ...streamColumns(created),
    ]);
    return result.rows.map((row) => ({
      eventId: row.event_id,
      streamId: row.stream_id,
      streamPosition: Number(row.stream_position),
      globalPosition: BigInt(row.global_position),
    }));
  } catch (error) {
    const { code, constraint } = error as { code?: string; constraint?: string };
    if (code === uniqueViolation && constraint === 'messages_event_id_unique')
      throw new IdsStoredConcurrently();
    throw error;
  }
}
