import type { StreamAppend } from './plan-append.js';

/** An event not stored because its id already names an event of another stream. */
export interface IdConflict {
  readonly eventId: string;
  /** The stream the event was to be appended to. */
  readonly streamId: string;
  /** The stream the id's event is in: stored earlier, or earlier in the same request. */
  readonly storedStreamId: string;
}

/**
 * The events of `appends` that an append skips although they are not the event their id names:
 * the id is stored, or earlier in the request, under another stream. A resend or a redelivery
 * repeats an event in its own stream and is no conflict. Pure: `storedStreams` maps each stored id
 * of the request to its stream.
 */
export function idConflicts(
  appends: readonly StreamAppend[],
  storedStreams: ReadonlyMap<string, string>,
): IdConflict[] {
  const owners = new Map(storedStreams);
  const conflicts: IdConflict[] = [];
  for (const { streamId, events } of appends) {
    for (const { id } of events) {
      const owner = owners.get(id);
      if (owner === undefined) owners.set(id, streamId);
      else if (owner !== streamId) conflicts.push({ eventId: id, streamId, storedStreamId: owner });
    }
  }
  return conflicts;
}
