import { type AppendedEvent, appendToStreams } from './append-to-streams.js';
import type { ExpectedVersion, NewEvent, Queryable } from './types.js';

export interface AppendToStreamOptions {
  /** Defaults to `any`. Checked only when at least one event is new (see planAppend). */
  readonly expectedVersion?: ExpectedVersion;
}

export interface AppendToStreamResult {
  readonly appended: readonly AppendedEvent[];
  readonly skippedEventIds: readonly string[];
  /** The stream's version after the append: pass it as the next expectedVersion. */
  readonly nextExpectedVersion: number;
}

/**
 * Appends events to one stream, atomically. Events whose id is already stored are skipped and
 * reported, never stored twice. Throws StreamVersionConflictError when the stream is not at
 * `expectedVersion`; then nothing was stored.
 */
export async function appendToStream(
  db: Queryable,
  streamId: string,
  events: readonly NewEvent[],
  options: AppendToStreamOptions = {},
): Promise<AppendToStreamResult> {
  const result = await appendToStreams(db, [{ streamId, events, expectedVersion: options.expectedVersion }]);
  return {
    appended: result.appended,
    skippedEventIds: result.skippedEventIds,
    nextExpectedVersion: result.streamVersions.get(streamId) ?? 0,
  };
}
