import { describe, expect, it } from 'vitest';
import {
  appendToStream,
  appendToStreams,
  InvalidAppendError,
  type NewEvent,
  NotInTransactionError,
  readStream,
  StreamVersionConflictError,
} from '../../packages/eventstore/src/index.js';
import { useEventStoreDatabase } from './event-store-database.js';

const pool = useEventStoreDatabase();

let counter = 0;
function uniqueStream(): string {
  counter += 1;
  return `lead-append-${counter}-${Date.now()}`;
}

function events(stream: string, count: number, from = 0): NewEvent[] {
  return Array.from({ length: count }, (_, i) => ({
    id: `${stream}-e${from + i}`,
    type: 'page.visited',
    data: { url: `/page/${from + i}` },
    metadata: { receivedAt: '2024-05-01T10:00:00.000Z' },
    occurredAt: new Date(Date.UTC(2024, 4, 1, 10, 0, from + i)),
  }));
}

describe('appendToStream', () => {
  it('stores events at consecutive stream positions and reads them back', async () => {
    const stream = uniqueStream();
    const first = await appendToStream(pool(), stream, events(stream, 3), { expectedVersion: 'no_stream' });
    const second = await appendToStream(pool(), stream, events(stream, 2, 3), { expectedVersion: 3 });
    expect(first.nextExpectedVersion).toBe(3);
    expect(second.appended.map((e) => e.streamPosition)).toEqual([4, 5]);
    const read = await readStream(pool(), stream);
    expect(read.currentVersion).toBe(5);
    expect(read.events.map((e) => e.eventId)).toEqual(events(stream, 5).map((e) => e.id));
    expect(read.events[4]).toMatchObject({
      type: 'page.visited',
      data: { url: '/page/4' },
      streamPosition: 5,
    });
    expect(read.events[4]?.occurredAt.toISOString()).toBe('2024-05-01T10:00:04.000Z');
  });

  it('reads ranges: from, to, until and maxCount', async () => {
    const stream = uniqueStream();
    await appendToStream(pool(), stream, events(stream, 6));
    const positions = async (options: Parameters<typeof readStream>[2]) =>
      (await readStream(pool(), stream, options)).events.map((e) => e.streamPosition);
    expect(await positions({ from: 2, to: 4 })).toEqual([2, 3, 4]);
    expect(await positions({ until: new Date(Date.UTC(2024, 4, 1, 10, 0, 1)) })).toEqual([1, 2]);
    expect(await positions({ from: 5, maxCount: 1 })).toEqual([5]);
    expect(await readStream(pool(), 'lead-never-written')).toEqual({ currentVersion: 0, events: [] });
  });

  it('stores an id once: a resend is skipped and reported, the stream does not move', async () => {
    const stream = uniqueStream();
    const batch = events(stream, 4);
    await appendToStream(pool(), stream, batch.slice(0, 2));
    const again = await appendToStream(pool(), stream, [...batch, batch[3]!]);
    expect(again.appended.map((e) => e.eventId)).toEqual([batch[2]!.id, batch[3]!.id]);
    expect(again.skippedEventIds).toEqual([batch[0]!.id, batch[1]!.id, batch[3]!.id]);
    const resend = await appendToStream(pool(), stream, batch, { expectedVersion: 0 });
    expect(resend).toEqual({ appended: [], skippedEventIds: batch.map((e) => e.id), nextExpectedVersion: 4 });
    const { rows } = await pool().query(
      'SELECT count(*)::int AS n FROM eventstore.messages WHERE stream_id = $1',
      [stream],
    );
    expect(rows[0].n).toBe(4);
  });

  it('refuses a wrong expected version with the stream, expected and actual version, storing nothing', async () => {
    const stream = uniqueStream();
    await appendToStream(pool(), stream, events(stream, 2));
    const error = await appendToStream(pool(), stream, events(stream, 1, 2), { expectedVersion: 1 }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(StreamVersionConflictError);
    expect(error).toMatchObject({
      code: 'STREAM_VERSION_CONFLICT',
      streamId: stream,
      expected: 1,
      actual: 2,
    });
    await expect(
      appendToStream(pool(), stream, events(stream, 1, 2), { expectedVersion: 'no_stream' }),
    ).rejects.toThrow(StreamVersionConflictError);
    expect((await readStream(pool(), stream)).currentVersion).toBe(2);
  });

  it('refuses malformed requests before touching the database', async () => {
    await expect(appendToStream(pool(), '', [])).rejects.toThrow(InvalidAppendError);
    await expect(
      appendToStream(pool(), uniqueStream(), [{ id: '', type: 't', data: {}, occurredAt: new Date() }]),
    ).rejects.toThrow(InvalidAppendError);
  });

  it('joins the caller transaction when given a client, and refuses a client outside one', async () => {
    const stream = uniqueStream();
    const client = await pool().connect();
    try {
      await expect(appendToStream(client, stream, events(stream, 1))).rejects.toThrow(NotInTransactionError);
      await client.query('BEGIN');
      await appendToStream(client, stream, events(stream, 2));
      // a conflict undoes only the failed append: the caller's transaction goes on
      await expect(
        appendToStream(client, stream, events(stream, 1, 2), { expectedVersion: 0 }),
      ).rejects.toThrow(StreamVersionConflictError);
      expect((await readStream(pool(), stream)).currentVersion).toBe(0);
      await client.query('COMMIT');
    } finally {
      client.release();
    }
    expect((await readStream(pool(), stream)).events.map((e) => e.streamPosition)).toEqual([1, 2]);
  });
});

describe('appendToStreams', () => {
  it('appends to several streams in one transaction', async () => {
    const [a, b] = [uniqueStream(), uniqueStream()];
    const result = await appendToStreams(pool(), [
      { streamId: a, events: events(a, 2) },
      { streamId: b, events: events(b, 3), expectedVersion: 'no_stream' },
    ]);
    expect(Object.fromEntries(result.streamVersions)).toEqual({ [a]: 2, [b]: 3 });
    expect(result.appended).toHaveLength(5);
  });

  it('takes stream and event ids with quotes, backslashes and non-ASCII as they are (they travel as SQL literals)', async () => {
    const odd = `${uniqueStream()}-o'brien\\"x\\n-é€`;
    const oddEvents = events(odd, 2).map((event, i) => ({ ...event, id: `${odd}-'${i}\\` }));
    const first = await appendToStreams(pool(), [{ streamId: odd, events: oddEvents }]);
    const again = await appendToStreams(pool(), [{ streamId: odd, events: oddEvents }]);
    expect(first.appended.map((e) => e.eventId)).toEqual(oddEvents.map((e) => e.id));
    expect(again.skippedEventIds).toEqual(oddEvents.map((e) => e.id));
    expect(again.streamVersions.get(odd)).toBe(2);
    const read = await readStream(pool(), odd);
    expect(read.events.map((e) => [e.streamId, e.eventId])).toEqual(oddEvents.map((e) => [odd, e.id]));
  });

  it('is all or nothing: one conflicting stream leaves every stream of the batch untouched', async () => {
    const [a, b, c] = [uniqueStream(), uniqueStream(), uniqueStream()];
    await appendToStream(pool(), b, events(b, 1));
    await expect(
      appendToStreams(pool(), [
        { streamId: a, events: events(a, 2) },
        { streamId: b, events: events(b, 1, 1), expectedVersion: 'no_stream' },
        { streamId: c, events: events(c, 2) },
      ]),
    ).rejects.toMatchObject({ code: 'STREAM_VERSION_CONFLICT', streamId: b, actual: 1 });
    expect((await readStream(pool(), a)).currentVersion).toBe(0);
    expect((await readStream(pool(), b)).currentVersion).toBe(1);
    expect((await readStream(pool(), c)).currentVersion).toBe(0);
    const { rows } = await pool().query(
      'SELECT count(*)::int AS n FROM eventstore.messages WHERE stream_id = ANY($1)',
      [[a, c]],
    );
    expect(rows[0].n).toBe(0);
  });

  it('refuses the same stream twice in one batch', async () => {
    const a = uniqueStream();
    await expect(
      appendToStreams(pool(), [
        { streamId: a, events: events(a, 1) },
        { streamId: a, events: events(a, 1, 1) },
      ]),
    ).rejects.toThrow(InvalidAppendError);
  });
});
