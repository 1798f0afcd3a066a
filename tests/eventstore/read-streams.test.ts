/**
 * forEachStream hands over every stream asked for exactly once, each with all its events in
 * stream order (appended in several statements, so physical order is not stream order), and
 * readStreams collects the same.
 */
import { describe, expect, it } from 'vitest';
import {
  appendToStream,
  forEachStream,
  type NewEvent,
  type RecordedEvent,
  readStreams,
} from '../../packages/eventstore/src/index.js';
import { useEventStoreDatabase } from './event-store-database.js';

const pool = useEventStoreDatabase();

function events(stream: string, count: number, from: number): NewEvent[] {
  return Array.from({ length: count }, (_, i) => ({
    id: `${stream}-e${from + i}`,
    type: 'page.visited',
    data: { url: `/page/${from + i}` },
    occurredAt: new Date(Date.UTC(2024, 4, 1, 10, 0, from + i)),
  }));
}

const idsOf = (recorded: readonly RecordedEvent[]) => recorded.map((event) => event.eventId);

describe('forEachStream', () => {
  it('visits each stream once, in id order, with its events in stream order; empty streams last', async () => {
    const [b, a, c] = ['lead-streams-b', 'lead-streams-a', 'lead-streams-c'];
    // Interleaved appends: rows of one stream are not stored next to each other.
    await appendToStream(pool(), b, events(b, 2, 0));
    await appendToStream(pool(), a, events(a, 1, 0));
    await appendToStream(pool(), b, events(b, 3, 2));
    await appendToStream(pool(), a, events(a, 2, 1));
    const empty = 'lead-streams-never-appended';

    const visits: [string, string[]][] = [];
    await forEachStream(pool(), [empty, b, a, c], (streamId, recorded) =>
      visits.push([streamId, idsOf(recorded)]),
    );

    expect(visits).toEqual([
      [a, [`${a}-e0`, `${a}-e1`, `${a}-e2`]],
      [b, [`${b}-e0`, `${b}-e1`, `${b}-e2`, `${b}-e3`, `${b}-e4`]],
      [empty, []],
      [c, []],
    ]);
    const collected = await readStreams(pool(), [empty, b, a, c]);
    expect(new Map([...collected].map(([streamId, recorded]) => [streamId, idsOf(recorded)]))).toEqual(
      new Map(visits),
    );
  });

  it('visits nothing for no streams', async () => {
    const visits: string[] = [];
    await forEachStream(pool(), [], (streamId) => visits.push(streamId));
    expect(visits).toEqual([]);
  });
});
