import { InvalidAppendError, StreamVersionConflictError } from './errors.js';
import type { ExpectedVersion, NewEvent } from './types.js';

/** Events to append to one stream. */
export interface StreamAppend {
  readonly streamId: string;
  readonly events: readonly NewEvent[];
  /** Checked only when at least one event of the append is new. Defaults to `any`. */
  readonly expectedVersion?: ExpectedVersion;
}

/** One row to insert into eventstore.messages. */
export interface PlannedRow {
  readonly streamId: string;
  readonly streamPosition: number;
  readonly event: NewEvent;
}

export interface AppendPlan {
  readonly rows: readonly PlannedRow[];
  /** Ids already stored, or repeated within this append (only the first occurrence counts). */
  readonly skippedEventIds: readonly string[];
  /** Each stream's version once the rows are stored (unchanged for streams with nothing new). */
  readonly nextVersions: ReadonlyMap<string, number>;
  /**
   * The earliest occurredAt among each stream's rows, for streams with rows: what can move the
   * stream's first occurrence back. Skipped events count for nothing, earlier or not.
   */
  readonly earliestNewOccurrences: ReadonlyMap<string, Date>;
}

/** Refuses requests that cannot be appended whatever the store holds. */
export function validateAppends(appends: readonly StreamAppend[]): void {
  const seen = new Set<string>();
  for (const { streamId, events, expectedVersion } of appends) {
    if (typeof streamId !== 'string' || streamId.length === 0 || streamId.length > 300) {
      throw new InvalidAppendError('a stream id must be 1-300 characters', streamId);
    }
    if (seen.has(streamId)) {
      throw new InvalidAppendError(
        `stream ${streamId} appears twice in one batch: merge its events`,
        streamId,
      );
    }
    seen.add(streamId);
    if (
      typeof expectedVersion === 'number' &&
      !(Number.isSafeInteger(expectedVersion) && expectedVersion >= 0)
    ) {
      throw new InvalidAppendError(`expected version ${expectedVersion} is not a version`, streamId);
    }
    for (const event of events) {
      if (typeof event.id !== 'string' || event.id.length === 0) {
        throw new InvalidAppendError('every event needs a non-empty id', streamId);
      }
      if (typeof event.type !== 'string' || event.type.length === 0) {
        throw new InvalidAppendError(`event ${event.id} needs a type`, streamId);
      }
      if (!(event.occurredAt instanceof Date) || Number.isNaN(event.occurredAt.getTime())) {
        throw new InvalidAppendError(`event ${event.id} needs a valid occurredAt`, streamId);
      }
    }
  }
}

export function satisfiesExpectedVersion(expected: ExpectedVersion, actual: number): boolean {
  switch (expected) {
    case 'any':
      return true;
    case 'no_stream':
      return actual === 0;
    case 'stream_exists':
      return actual > 0;
    default:
      return actual === expected;
  }
}

/**
 * Decides what to insert, given which ids are stored and each stream's current version (0 when
 * it has no events). Pure, so the rules are tested without a database:
 * - an event whose id is stored, or that repeats an id earlier in the request, is skipped;
 * - a stream with nothing new is left alone and its expected version is not checked, so
 *   retrying an append that already succeeded is a harmless no-op;
 * - otherwise the expected version must hold, or StreamVersionConflictError is thrown;
 * - new events take the next positions of their stream, in the order given;
 * - each stream with new events notes the earliest of their occurrence times.
 */
export function planAppend(
  appends: readonly StreamAppend[],
  storedIds: ReadonlySet<string>,
  currentVersions: ReadonlyMap<string, number>,
): AppendPlan {
  const taken = new Set(storedIds);
  const skippedEventIds: string[] = [];
  const rows: PlannedRow[] = [];
  const nextVersions = new Map<string, number>();
  const earliestNewOccurrences = new Map<string, Date>();
  for (const { streamId, events, expectedVersion = 'any' } of appends) {
    const current = currentVersions.get(streamId) ?? 0;
    const fresh: NewEvent[] = [];
    for (const event of events) {
      if (taken.has(event.id)) skippedEventIds.push(event.id);
      else {
        taken.add(event.id);
        fresh.push(event);
      }
    }
    if (fresh.length > 0 && !satisfiesExpectedVersion(expectedVersion, current)) {
      throw new StreamVersionConflictError(streamId, expectedVersion, current);
    }
    fresh.forEach((event, index) => {
      rows.push({ streamId, streamPosition: current + index + 1, event });
      const earliest = earliestNewOccurrences.get(streamId);
      if (earliest === undefined || event.occurredAt < earliest)
        earliestNewOccurrences.set(streamId, event.occurredAt);
    });
    nextVersions.set(streamId, current + fresh.length);
  }
  return { rows, skippedEventIds, nextVersions, earliestNewOccurrences };
}
