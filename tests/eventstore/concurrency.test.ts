import { describe, expect, it } from 'vitest';
import {
  appendToStream,
  type NewEvent,
  readStream,
  StreamVersionConflictError,
} from '../../packages/eventstore/src/index.js';
import { useEventStoreDatabase } from './event-store-database.js';

const pool = useEventStoreDatabase();

function batch(writer: string, count: number): NewEvent[] {
  return Array.from({ length: count }, (_, i) => ({
    id: `${writer}-${i}`,
    type: 'email.clicked',
    data: { writer, index: i },
    occurredAt: new Date(Date.UTC(2024, 4, 1, 9, 0, i)),
  }));
}

describe('concurrent appends to one stream with the same expected version', () => {
  it('lets one win; the other gets the conflict and the winner batch is never seen in part', async () => {
    const stream = 'lead-race-ordered';
    await appendToStream(pool(), stream, batch('seed', 1));
    const first = await pool().connect();
    try {
      await first.query('BEGIN');
      await appendToStream(first, stream, batch('first', 3), { expectedVersion: 1 });
      // in flight: readers see none of it, the rival waits for the stream
      expect((await readStream(pool(), stream)).currentVersion).toBe(1);
      const rival = appendToStream(pool(), stream, batch('second', 2), { expectedVersion: 1 }).catch(
        (error: unknown) => error,
      );
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect((await readStream(pool(), stream)).events.map((e) => e.eventId)).toEqual(['seed-0']);
      await first.query('COMMIT');
      const error = await rival;
      expect(error).toBeInstanceOf(StreamVersionConflictError);
      expect(error).toMatchObject({ streamId: stream, expected: 1, actual: 4 });
    } finally {
      first.release();
    }
    const stored = await readStream(pool(), stream);
    expect(stored.events.map((e) => e.eventId)).toEqual(['seed-0', 'first-0', 'first-1', 'first-2']);
  });

  it('under a real race on many streams, exactly one writer per stream wins, whole', async () => {
    const streams = Array.from({ length: 20 }, (_, i) => `lead-race-${i}`);
    const outcomes = await Promise.all(
      streams.map(async (stream) => {
        const writers = ['a', 'b'].map((w) =>
          appendToStream(pool(), stream, batch(`${stream}-${w}`, 5), { expectedVersion: 'no_stream' }),
        );
        return { stream, results: await Promise.allSettled(writers) };
      }),
    );
    for (const { stream, results } of outcomes) {
      const won = results.filter((r) => r.status === 'fulfilled');
      const lost = results.filter((r) => r.status === 'rejected');
      expect(won).toHaveLength(1);
      expect(lost).toHaveLength(1);
      expect((lost[0] as PromiseRejectedResult).reason).toBeInstanceOf(StreamVersionConflictError);
      const writers = new Set(
        (await readStream(pool(), stream)).events.map((e) => (e.data as { writer: string }).writer),
      );
      expect(writers.size).toBe(1);
      expect((await readStream(pool(), stream)).currentVersion).toBe(5);
    }
  });

  it('an id stored by a transaction committing mid-append is skipped, and positions keep no holes', async () => {
    const shared: NewEvent = { id: 'shared-id', type: 'email.opened', data: {}, occurredAt: new Date() };
    const first = await pool().connect();
    let second: Promise<Awaited<ReturnType<typeof appendToStream>>>;
    try {
      await first.query('BEGIN');
      await appendToStream(first, 'lead-dup-a', [shared, ...batch('dup-a', 2)]);
      // the second writer cannot see the uncommitted id, plans it at position 1, then waits on it
      second = appendToStream(pool(), 'lead-dup-b', [shared, ...batch('dup-b', 2)]);
      await new Promise((resolve) => setTimeout(resolve, 100));
      await first.query('COMMIT');
    } finally {
      first.release();
    }
    const result = await second;
    expect(result.skippedEventIds).toEqual(['shared-id']);
    expect(result.appended.map((e) => [e.eventId, e.streamPosition])).toEqual([
      ['dup-b-0', 1],
      ['dup-b-1', 2],
    ]);
    const { rows } = await pool().query(
      "SELECT count(*)::int AS n FROM eventstore.messages WHERE event_id = 'shared-id'",
    );
    expect(rows[0].n).toBe(1);
  });
});
