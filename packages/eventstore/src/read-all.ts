import { type MessageRow, messageColumns, toRecordedEvent } from './message-row.js';
import { type GlobalCheckpoint, type Queryable, type RecordedEvent, startOfLog } from './types.js';

export interface ReadAllOptions {
  /** Read events after this one. Defaults to the start of the log. */
  readonly after?: GlobalCheckpoint;
  readonly limit: number;
}

export interface ReadAllResult {
  readonly events: readonly RecordedEvent[];
  /** The last event read, or `after` when nothing was read: the next call's `after`. */
  readonly checkpoint: GlobalCheckpoint;
}

// Only rows of transactions older than every transaction still in flight: a transaction still
// running may yet commit rows that sort before what is visible now, and reading past them would
// skip them for good. The horizon is cluster-wide, so a long transaction anywhere on the server
// delays readers (it never makes them skip).
const readAllSql = `
SELECT ${messageColumns}
  FROM eventstore.messages
 WHERE (transaction_id, global_position) > ($1::xid8, $2::bigint)
   AND transaction_id < pg_snapshot_xmin(pg_current_snapshot())
 ORDER BY transaction_id, global_position
 LIMIT $3`;

/**
 * Reads the global log in (transaction id, global position) order, gap-safely: an event
 * committed late by a concurrent transaction is returned after the events read before it,
 * never skipped. Within one stream, events come in stream order.
 */
export async function readAll(db: Queryable, options: ReadAllOptions): Promise<ReadAllResult> {
  const after = options.after ?? startOfLog;
  const { rows } = await db.query<MessageRow>(readAllSql, [
    after.transactionId.toString(),
    after.globalPosition.toString(),
    options.limit,
  ]);
  const events = rows.map(toRecordedEvent);
  const last = events.at(-1);
  return {
    events,
    checkpoint: last ? { transactionId: last.transactionId, globalPosition: last.globalPosition } : after,
  };
}

// Run right after a readAll that returned fewer events than asked for: any committed event after
// `after` that this snapshot sees is then one that readAll left out because of the horizon.
// The first such event in index order, not EXISTS: the planner estimates a row comparison to
// match a third of the table, so under EXISTS it chose a sequential scan expected to stop early,
// which, when nothing matches (the usual answer of a caught-up reader), read the whole log.
const committedAfterSql = `
SELECT (SELECT global_position
          FROM eventstore.messages
         WHERE (transaction_id, global_position) > ($1::xid8, $2::bigint)
         ORDER BY transaction_id, global_position
         LIMIT 1) IS NOT NULL AS held_back`;

/**
 * Whether committed events after `after` wait behind the read horizon (a transaction older than
 * theirs, anywhere on the server, is still in flight). Meaningful after a readAll from `after`
 * that returned less than its limit.
 */
export async function eventsHeldBack(db: Queryable, after: GlobalCheckpoint): Promise<boolean> {
  const { rows } = await db.query<{ held_back: boolean }>(committedAfterSql, [
    after.transactionId.toString(),
    after.globalPosition.toString(),
  ]);
  return rows[0]?.held_back ?? false;
}
