import { type BinaryArrayType, type BinaryArrayValue, binaryArray } from '@leadscore/platform';
import { type LeadState, parseLeadState, type ScoreView } from '@leadscore/scoring';
import type pg from 'pg';
import type { LeadScoreRecord, PreviousRecord } from '../engine/lead-record.js';
import type { Touch } from '../engine/touches.js';

export interface LeadScoreRow {
  lead_id: string;
  email: string | null;
  engagement: number;
  fit: number;
  total: number;
  grade: ScoreView['grade'];
  temperature: string;
  scored_at: Date;
  state: unknown;
  last_global_position: string;
  last_event_id: string;
  ruleset_id: string;
  ruleset_version: number;
  next_crossing_at: Date | null;
  first_touch: Touch | null;
  last_touch: Touch | null;
}

// A record's columns but its state.
const headerColumns = `lead_id, email, engagement, fit, total, grade, temperature, scored_at,
       last_global_position, last_event_id, ruleset_id, ruleset_version, next_crossing_at,
       first_touch, last_touch`;

const recordColumns = `${headerColumns}, state`;

/**
 * The records of the leads in `leads` (a text[] expression), locked until the transaction ends.
 * FOR UPDATE: a lead's events all arrive on one partition, but during a rebalance two members can
 * briefly hold batches of the same lead; the second waits instead of folding a stale state.
 *
 * One primary key probe per lead, in lead id order (so rows are locked in that order), whatever
 * the planner's statistics say: the LATERAL subquery with its lock cannot be flattened into a
 * join. With `lead_id = ANY(...)` a plan made while the table was young (prepared statements keep
 * it) scanned the whole table and compared every row with every lead of the batch: 30 to 40 ms a
 * batch at 12,000 leads, half the scorer's PostgreSQL time in a pipeline run.
 */
export const lockedRecordsSql = (leads: string) => `
SELECT record.*
  FROM (SELECT DISTINCT id FROM unnest(${leads}) AS wanted (id) ORDER BY id) AS wanted,
       LATERAL (SELECT ${recordColumns} FROM lead_scores WHERE lead_id = wanted.id FOR UPDATE) AS record`;

const loadSql = lockedRecordsSql('$1::text[]');

/** The records of the given leads (one query), locked until the transaction ends. */
export async function loadLeadScores(
  client: pg.ClientBase,
  leadIds: readonly string[],
): Promise<Map<string, LeadScoreRecord>> {
  // Named: prepared once per connection, not parsed and planned again for every batch.
  const { rows } = await client.query<LeadScoreRow>({
    name: 'load-lead-scores',
    text: loadSql,
    values: [leadIds],
  });
  return recordsByLead(rows);
}

/** Rows selected with lockedRecordsSql, as records by lead id. */
export function recordsByLead(rows: readonly LeadScoreRow[]): Map<string, LeadScoreRecord> {
  return new Map(rows.map((row) => [row.lead_id, toRecord(row)]));
}

/**
 * A record read to rebuild its lead, with the version of its row (xmin: the transaction that wrote
 * it): equal versions of a lead's row read at two moments mean nobody wrote the record in between.
 */
export interface VersionedPreviousRecord {
  readonly record: PreviousRecord;
  readonly rowVersion: string;
}

// The state only of rows already under the given version (see PreviousRecord): a rebuild of that
// version recomputes their old scores from it, a job moving leads to it skips them, and no other
// row's old score needs its state.
const previousPageSql = `
SELECT ${headerColumns}, two_way_at,
       CASE WHEN ruleset_id = $3 AND ruleset_version = $4 THEN state END AS state,
       xmin::text AS row_version
  FROM lead_scores
 WHERE ($1::text IS NULL OR lead_id > $1)
 ORDER BY lead_id
 LIMIT $2`;

/**
 * The next records after `after` in lead id order, unlocked (a page of the primary key), to be
 * rebuilt under `ruleset`: with their states only where they are already under it.
 */
export async function readPreviousRecordsAfter(
  db: pg.Pool | pg.ClientBase,
  after: string | null,
  limit: number,
  ruleset: { readonly id: string; readonly version: number },
): Promise<VersionedPreviousRecord[]> {
  const { rows } = await db.query<PreviousRow>(previousPageSql, [after, limit, ruleset.id, ruleset.version]);
  return rows.map((row) => ({ record: toPreviousRecord(row), rowVersion: row.row_version }));
}

type PreviousRow = Omit<LeadScoreRow, 'state'> & {
  readonly state: unknown;
  readonly two_way_at: Date | null;
  readonly row_version: string;
};

function toPreviousRecord(row: PreviousRow): PreviousRecord {
  const state = row.state === null ? undefined : parseLeadState(row.state);
  return recordOf(row, state, row.two_way_at !== null);
}

/**
 * Locks the next `$2` rows after `$1` (NULL: from the first) in lead id order, the order every
 * writer locks in, if `condition` (an SQL condition, evaluated once) holds; selects their lead ids
 * and row versions only: the records themselves are read again only for rows that moved. Read its
 * result with lockedPage. `coalesce` rather than `$1 IS NULL OR ...`: a prepared statement's
 * generic plan can then still start the primary key scan at `$1` (every lead id sorts after '').
 */
export const lockPageSql = (condition = 'true') => `
SELECT lead_id, xmin::text AS row_version
  FROM lead_scores
 WHERE lead_id > coalesce($1::text, '') AND ${condition}
 ORDER BY lead_id
 LIMIT $2
   FOR UPDATE`;

/** A locked row of lockPageSql: its lead and the version of its row (xmin). */
export interface LockedLead {
  readonly leadId: string;
  readonly rowVersion: string;
}

/** The rows lockPageSql locked, in lead id order. */
export function lockedPage(result: pg.QueryResult): LockedLead[] {
  return (result.rows as { lead_id: string; row_version: string }[]).map((row) => ({
    leadId: row.lead_id,
    rowVersion: row.row_version,
  }));
}

const lockAfterSql = lockPageSql();

/**
 * Locks the next rows after `after` in lead id order until the transaction ends; returns their
 * lead ids, in that order, with their row versions.
 */
export async function lockLeadScoresAfter(
  client: pg.ClientBase,
  after: string | null,
  limit: number,
): Promise<LockedLead[]> {
  return lockedPage(await client.query(lockAfterSql, [after, limit]));
}

function toRecord(row: LeadScoreRow): LeadScoreRecord {
  const state: LeadState = parseLeadState(row.state);
  return recordOf(row, state, state.twoWayAt !== null);
}

/**
 * A row's columns with the state given (parsed, or not read); `twoWay` says whether the lead has a
 * two-way signal. One object literal: a spread of the columns and one more key would take V8's
 * slow path on Node 20, 2 µs per record (docs/BENCHMARKS.md, tenth session).
 */
function recordOf<State extends LeadState | undefined>(
  row: Omit<LeadScoreRow, 'state'>,
  state: State,
  twoWay: boolean,
): Omit<LeadScoreRecord, 'state'> & { readonly state: State } {
  return {
    leadId: row.lead_id,
    email: row.email ?? undefined,
    state,
    view: {
      at: row.scored_at.getTime(),
      engagement: row.engagement,
      fit: row.fit,
      total: row.total,
      grade: row.grade,
      temperature: row.temperature,
      twoWay,
    },
    lastGlobalPosition: BigInt(row.last_global_position),
    lastEventId: row.last_event_id,
    rulesetId: row.ruleset_id,
    rulesetVersion: row.ruleset_version,
    nextCrossingAt: row.next_crossing_at?.getTime() ?? null,
    firstTouch: row.first_touch,
    lastTouch: row.last_touch,
  };
}

/** One parameter of the upsert: its name in the SQL, its type, and its value for a batch. */
interface UpsertParameter {
  readonly name: string;
  /** An array type for unnest, or `json` for one JSON array of the values. */
  readonly type: BinaryArrayType | 'json';
  readonly encode: (records: readonly LeadScoreRecord[]) => unknown;
}

/** A column as a binary array (binaryArray), one element per record. */
const arrayOf = <T extends BinaryArrayType>(
  name: string,
  type: T,
  value: (record: LeadScoreRecord) => BinaryArrayValue[T],
): UpsertParameter => ({ name, type, encode: (records) => binaryArray(type, records.map(value)) });

/** A document column as one JSON array, one element per record. */
const jsonOf = (name: string, value: (record: LeadScoreRecord) => unknown): UpsertParameter => ({
  name,
  type: 'json',
  encode: (records) => JSON.stringify(records.map(value)),
});

/**
 * What the upsert reads, one parameter each, in order: a typed array per scalar column (zipped by
 * ROWS FROM) or, for the documents, one JSON array split by json_array_elements. The SQL and the
 * parameter values are both made from this list, so they cannot drift apart.
 */
const upsertParameters: readonly UpsertParameter[] = [
  arrayOf('lead_id', 'text[]', (record) => record.leadId),
  arrayOf('email', 'text[]', (record) => record.email ?? null),
  arrayOf('engagement', 'float8[]', (record) => record.view.engagement),
  arrayOf('fit', 'float8[]', (record) => record.view.fit),
  arrayOf('total', 'float8[]', (record) => record.view.total),
  arrayOf('grade', 'text[]', (record) => record.view.grade),
  arrayOf('temperature', 'text[]', (record) => record.view.temperature),
  arrayOf('two_way_at', 'bigint[]', (record) => record.state.twoWayAt),
  arrayOf('scored_at', 'bigint[]', (record) => record.view.at),
  jsonOf('state', (record) => record.state),
  arrayOf('last_global_position', 'bigint[]', (record) => record.lastGlobalPosition),
  arrayOf('last_event_id', 'text[]', (record) => record.lastEventId),
  arrayOf('ruleset_id', 'text[]', (record) => record.rulesetId),
  arrayOf('ruleset_version', 'integer[]', (record) => record.rulesetVersion),
  arrayOf('next_crossing_at', 'bigint[]', (record) => record.nextCrossingAt),
  jsonOf('touches', (record) => [record.firstTouch, record.lastTouch]),
];

/**
 * The upsert of records passed as leadScoreParameters, from parameter `$first` on: all records in
 * one statement. A JSON array of whole rows through json_to_recordset cost the server a field
 * lookup table per row (13 to 25 ms per 1,000 records in psql): a rescoring batch's store
 * statement took 31 to 35 ms per 1,000 records that way and 26 to 28 with the typed arrays. The
 * arrays go in binary (binaryArray), so the server parses no number from text: 45 against 50 ms
 * (medians of 30) for one statement of 1,000 rescored records. The rest is the heap and the
 * indexes. As json, not jsonb: jsonb would first turn every number of every state into numeric.
 */
export const upsertLeadScoresSql = (first: number) => {
  const expanded = upsertParameters.map(({ type }, i) =>
    type === 'json' ? `json_array_elements($${first + i}::json)` : `unnest($${first + i}::${type})`,
  );
  return `
INSERT INTO lead_scores AS current (
  lead_id, email, engagement, fit, total, grade, temperature, two_way_at, scored_at, state,
  last_global_position, last_event_id, ruleset_id, ruleset_version, next_crossing_at,
  first_touch, last_touch, updated_at)
SELECT r.lead_id, r.email, r.engagement, r.fit, r.total, r.grade, r.temperature,
       to_timestamp(r.two_way_at / 1000.0), to_timestamp(r.scored_at / 1000.0), r.state,
       r.last_global_position, r.last_event_id, r.ruleset_id, r.ruleset_version,
       to_timestamp(r.next_crossing_at / 1000.0),
       nullif((r.touches -> 0)::jsonb, 'null'), nullif((r.touches -> 1)::jsonb, 'null'), now()
  FROM ROWS FROM (${expanded.join(', ')})
       AS r(${upsertParameters.map(({ name }) => name).join(', ')})
ON CONFLICT (lead_id) DO UPDATE SET
  email = excluded.email, engagement = excluded.engagement, fit = excluded.fit,
  total = excluded.total, grade = excluded.grade, temperature = excluded.temperature,
  two_way_at = excluded.two_way_at, scored_at = excluded.scored_at, state = excluded.state,
  last_global_position = excluded.last_global_position, last_event_id = excluded.last_event_id,
  ruleset_id = excluded.ruleset_id, ruleset_version = excluded.ruleset_version,
  next_crossing_at = excluded.next_crossing_at, first_touch = excluded.first_touch,
  last_touch = excluded.last_touch, updated_at = excluded.updated_at`;
};

/** The records as the parameter values upsertLeadScoresSql reads, in its order. */
export function leadScoreParameters(records: readonly LeadScoreRecord[]): unknown[] {
  return upsertParameters.map(({ encode }) => encode(records));
}
