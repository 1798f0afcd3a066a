/**
 * A stream's first occurrence (eventstore.streams.first_occurred_at) is the earliest occurredAt
 * of its stored events, whatever order they arrived in: the append keeps it, so that readers (the
 * funnel's entry date) find it without aggregating the stream's events.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { appendToStream, appendToStreams, type NewEvent } from '../../packages/eventstore/src/index.js';
import { useEventStoreDatabase } from './event-store-database.js';

const pool = useEventStoreDatabase();

let counter = 0;
function uniqueStream(): string {
  counter += 1;
  return `lead-first-${counter}-${Date.now()}`;
}

const event = (id: string, occurredAt: string): NewEvent => ({
  id,
  type: 'page.visited',
  data: {},
  occurredAt: new Date(occurredAt),
});

async function firstOccurrence(streamId: string): Promise<string | undefined> {
  const { rows } = await pool().query<{ first_occurred_at: Date }>(
    'SELECT first_occurred_at FROM eventstore.streams WHERE stream_id = $1',
    [streamId],
  );
  return rows[0]?.first_occurred_at.toISOString();
}

async function earliestStoredEvent(streamId: string): Promise<string | undefined> {
  const { rows } = await pool().query<{ earliest: Date | null }>(
    'SELECT min(occurred_at) AS earliest FROM eventstore.messages WHERE stream_id = $1',
    [streamId],
  );
  return rows[0]?.earliest?.toISOString();
}

describe("a stream's first occurrence", () => {
  it('is the earliest event of the first append, not the first one given', async () => {
    const stream = uniqueStream();
    await appendToStream(pool(), stream, [
      event(`${stream}-a`, '2026-06-03T10:00:00.000Z'),
      event(`${stream}-b`, '2026-06-01T10:00:00.000Z'),
      event(`${stream}-c`, '2026-06-02T10:00:00.000Z'),
    ]);
    expect(await firstOccurrence(stream)).toBe('2026-06-01T10:00:00.000Z');
  });

  it('stays put for later events and moves back for a late event earlier than all others', async () => {
    const stream = uniqueStream();
    await appendToStream(pool(), stream, [event(`${stream}-a`, '2026-06-10T10:00:00.000Z')]);
    await appendToStream(pool(), stream, [event(`${stream}-b`, '2026-06-20T10:00:00.000Z')]);
    expect(await firstOccurrence(stream)).toBe('2026-06-10T10:00:00.000Z');

    // A backfill: appended last, it occurred first.
    await appendToStream(pool(), stream, [
      event(`${stream}-c`, '2026-06-15T10:00:00.000Z'),
      event(`${stream}-d`, '2026-05-01T08:30:00.000Z'),
    ]);
    expect(await firstOccurrence(stream)).toBe('2026-05-01T08:30:00.000Z');
  });

  it('ignores redelivered duplicates, even one carrying an earlier time than every stored event', async () => {
    const stream = uniqueStream();
    const stored = [
      event(`${stream}-a`, '2026-06-10T10:00:00.000Z'),
      event(`${stream}-b`, '2026-06-11T10:00:00.000Z'),
    ];
    await appendToStream(pool(), stream, stored);

    const redelivered = await appendToStream(pool(), stream, stored);
    expect(redelivered.appended).toEqual([]);
    // The same id sent again with another time: still the stored event, skipped.
    const resent = await appendToStream(pool(), stream, [event(`${stream}-a`, '2026-01-01T00:00:00.000Z')]);
    expect(resent.skippedEventIds).toEqual([`${stream}-a`]);
    // A repeat within one append next to a new event: only the new one counts.
    await appendToStream(pool(), stream, [
      event(`${stream}-c`, '2026-06-12T10:00:00.000Z'),
      event(`${stream}-b`, '2026-02-01T00:00:00.000Z'),
      event(`${stream}-c`, '2026-03-01T00:00:00.000Z'),
    ]);
    expect(await firstOccurrence(stream)).toBe('2026-06-10T10:00:00.000Z');
  });

  it('is kept for each stream of an append to many, new or not', async () => {
    const [old, fresh, untouched] = [uniqueStream(), uniqueStream(), uniqueStream()];
    await appendToStreams(pool(), [
      { streamId: old, events: [event(`${old}-a`, '2026-06-10T10:00:00.000Z')] },
      { streamId: untouched, events: [event(`${untouched}-a`, '2026-06-10T10:00:00.000Z')] },
    ]);
    await appendToStreams(pool(), [
      { streamId: old, events: [event(`${old}-b`, '2026-06-09T10:00:00.000Z')] },
      {
        streamId: fresh,
        events: [
          event(`${fresh}-a`, '2026-07-02T10:00:00.000Z'),
          event(`${fresh}-b`, '2026-07-01T10:00:00.000Z'),
        ],
      },
      { streamId: untouched, events: [event(`${untouched}-a`, '2026-01-01T00:00:00.000Z')] },
    ]);
    expect(await firstOccurrence(old)).toBe('2026-06-09T10:00:00.000Z');
    expect(await firstOccurrence(fresh)).toBe('2026-07-01T10:00:00.000Z');
    expect(await firstOccurrence(untouched)).toBe('2026-06-10T10:00:00.000Z');
  });

  it('equals the earliest stored event after any sequence of appends with duplicates', async () => {
    const day = 86_400_000;
    const appendArb = fc.array(
      fc.record({ id: fc.integer({ min: 0, max: 11 }), day: fc.integer({ min: 0, max: 60 }) }),
      {
        minLength: 1,
        maxLength: 5,
      },
    );
    await fc.assert(
      fc.asyncProperty(fc.array(appendArb, { minLength: 1, maxLength: 5 }), async (appends) => {
        const stream = uniqueStream();
        for (const events of appends) {
          await appendToStream(
            pool(),
            stream,
            events.map(({ id, day: offset }) =>
              event(`${stream}-${id}`, new Date(Date.UTC(2026, 0, 1) + offset * day).toISOString()),
            ),
          );
        }
        expect(await firstOccurrence(stream)).toBe(await earliestStoredEvent(stream));
      }),
      { numRuns: 25 },
    );
  });
});
