import type { ExpectedVersion } from './types.js';

/** Base of every error the event store throws on purpose; `code` is stable for callers to test. */
export abstract class EventStoreError extends Error {
  abstract readonly code: string;
}

/**
 * The stream was not at the version the caller expected: someone else appended first. Nothing
 * of the append was stored; re-read the stream, decide again, retry.
 */
export class StreamVersionConflictError extends EventStoreError {
  readonly code = 'STREAM_VERSION_CONFLICT';
  constructor(
    readonly streamId: string,
    readonly expected: ExpectedVersion,
    readonly actual: number,
  ) {
    super(`stream ${streamId} is at version ${actual}, expected ${String(expected)}`);
    this.name = 'StreamVersionConflictError';
  }
}

/**
 * A stream's latest event was appended by a transaction younger than the caller's. Appended now,
 * the caller's event would follow it in the stream but precede it in the global log, which readers
 * (the relay) tail in transaction order: they would publish the stream's events out of order.
 * Nothing was stored; retry in a new transaction, whose id is younger than every committed one.
 */
export class AppendOrderConflictError extends EventStoreError {
  readonly code = 'APPEND_ORDER_CONFLICT';
  constructor(readonly streamId: string) {
    super(`stream ${streamId} was last appended to by a transaction younger than this one`);
    this.name = 'AppendOrderConflictError';
  }
}

/** The append request itself is malformed (nothing was stored). */
export class InvalidAppendError extends EventStoreError {
  readonly code = 'INVALID_APPEND';
  constructor(
    message: string,
    readonly streamId?: string,
  ) {
    super(message);
    this.name = 'InvalidAppendError';
  }
}

/** A client was passed where the caller's transaction was expected, but no transaction is open. */
export class NotInTransactionError extends EventStoreError {
  readonly code = 'NOT_IN_TRANSACTION';
  constructor(operation: string) {
    super(`${operation} was given a client outside a transaction: BEGIN first, or pass the pool`);
    this.name = 'NotInTransactionError';
  }
}

/**
 * Another transaction stored some of the same event ids while this append ran (after its
 * look-up). The append is rolled back and retried, and the retry skips those ids; this error
 * escapes only if that keeps happening.
 */
export class ConcurrentAppendError extends EventStoreError {
  readonly code = 'CONCURRENT_APPEND';
  constructor(readonly attempts: number) {
    super(`event ids of this append kept being stored concurrently (${attempts} attempts)`);
    this.name = 'ConcurrentAppendError';
  }
}
