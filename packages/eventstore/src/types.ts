import type pg from 'pg';

/** A pool (the operation runs in a transaction of its own) or a client inside the caller's transaction. */
export type Queryable = pg.Pool | pg.ClientBase;

/** An event to append. `id` is globally unique: appending an id already stored is a no-op. */
export interface NewEvent<Data = unknown> {
  readonly id: string;
  readonly type: string;
  /** Any JSON value. */
  readonly data: Data;
  readonly metadata?: Readonly<Record<string, unknown>>;
  readonly occurredAt: Date;
}

export interface RecordedEvent<Data = unknown> {
  readonly eventId: string;
  readonly streamId: string;
  /** 1 for a stream's first event, then +1 per event, without holes. */
  readonly streamPosition: number;
  /** Unique, increasing in insert order; commit order may differ (see GlobalCheckpoint). */
  readonly globalPosition: bigint;
  /** The PostgreSQL transaction (xid8) that stored the event. */
  readonly transactionId: bigint;
  readonly type: string;
  readonly data: Data;
  readonly metadata: Readonly<Record<string, unknown>> | null;
  readonly occurredAt: Date;
  readonly recordedAt: Date;
}

/**
 * What the stream's version must be for an append to go ahead: a number (the position of its
 * last event, 0 for a stream without events), `no_stream` (same as 0), `stream_exists`, or `any`.
 */
export type ExpectedVersion = number | 'any' | 'no_stream' | 'stream_exists';

/**
 * Where a global reader stands: the last event it read, as the (transaction id, global position)
 * pair the global log is ordered by. Global positions alone are not safe: a transaction can take
 * a lower position and commit after a higher one, and a reader checkpointing positions would
 * skip it.
 */
export interface GlobalCheckpoint {
  readonly transactionId: bigint;
  readonly globalPosition: bigint;
}

/** Before the first event. */
export const startOfLog: GlobalCheckpoint = Object.freeze({ transactionId: 0n, globalPosition: 0n });

/** Structured logger; a pino logger fits. */
export interface Logger {
  debug(context: object, message: string): void;
  info(context: object, message: string): void;
  warn(context: object, message: string): void;
  error(context: object, message: string): void;
}

export const silentLogger: Logger = { debug() {}, info() {}, warn() {}, error() {} };
