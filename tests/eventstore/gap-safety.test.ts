import { describe, expect, it } from 'vitest';
import {
  appendToStream,
  type GlobalCheckpoint,
  type NewEvent,
  readAll,
  readCheckpoint,
  storeCheckpoint,
} from '../../packages/eventstore/src/index.js';
import { useEventStoreDatabase } from './event-store-database.js';
import { eventually } from './eventually.js';

const pool = useEventStoreDatabase();

function event(id: string): NewEvent {
  return {
    id,
    type: 'page.visited',
    data: { url: '/pricing' },
    occurredAt: new Date('2024-05-01T10:00:00Z'),
  };
}

/** A reader that remembers nothing between calls, as if restarted each time: all it has is its checkpoint. */
async function restartedReaderCatchUp(subscriber: string): Promise<string[]> {
  const after = await readCheckpoint(pool(), subscriber);
  const { events, checkpoint } = await readAll(pool(), { after, limit: 1_000 });
  await storeCheckpoint(pool(), subscriber, checkpoint);
  return events.map((e) => e.eventId);
}

async function endOfLog(): Promise<GlobalCheckpoint> {
  let { checkpoint, events } = await readAll(pool(), { limit: 1_000 });
  while (events.length > 0)
    ({ checkpoint, events } = await readAll(pool(), { after: checkpoint, limit: 1_000 }));
  return checkpoint;
}

describe('gap-safe global read', () => {
  it('delivers an event committed after a later-positioned one to the global and the checkpointed reader', async () => {
    const start = await endOfLog();
    await storeCheckpoint(pool(), 'restarting-reader', start);

    const slow = await pool().connect();
    let slowPosition: bigint;
    let fastPosition: bigint;
    try {
      await slow.query('BEGIN');
      slowPosition = (await appendToStream(slow, 'lead-gap-slow', [event('gap-slow')])).appended[0]!
        .globalPosition;
      fastPosition = (await appendToStream(pool(), 'lead-gap-fast', [event('gap-fast')])).appended[0]!
        .globalPosition;
      // The hazard: the fast writer's higher position is committed while the lower one is not.
      expect(slowPosition).toBeLessThan(fastPosition);
      const visible = await pool().query('SELECT max(global_position) AS max FROM eventstore.messages');
      expect(BigInt(visible.rows[0].max)).toBe(fastPosition);

      // Readers hold back instead of moving past the in-flight transaction.
      expect((await readAll(pool(), { after: start, limit: 100 })).events).toEqual([]);
      expect(await restartedReaderCatchUp('restarting-reader')).toEqual([]);
      expect(await readCheckpoint(pool(), 'restarting-reader')).toEqual(start);

      await slow.query('COMMIT');
    } finally {
      slow.release();
    }

    const all = await eventually(async () => {
      const { events } = await readAll(pool(), { after: start, limit: 100 });
      expect(events).toHaveLength(2);
      return events;
    });
    // transaction order: the slow writer began its insert first
    expect(all.map((e) => e.eventId)).toEqual(['gap-slow', 'gap-fast']);
    expect(all.map((e) => e.globalPosition)).toEqual([slowPosition, fastPosition]);

    const seen: string[] = [];
    await eventually(async () => {
      seen.push(...(await restartedReaderCatchUp('restarting-reader')));
      expect(seen).toEqual(['gap-slow', 'gap-fast']);
    });
    expect(await restartedReaderCatchUp('restarting-reader')).toEqual([]);
  });

  it('pages through the log with the checkpoint pair, each event once, streams in stream order', async () => {
    const start = await endOfLog();
    for (let tx = 0; tx < 10; tx += 1) {
      await appendToStream(
        pool(),
        `lead-page-${tx % 3}`,
        Array.from({ length: 4 }, (_, i) => event(`page-${tx}-${i}`)),
      );
    }
    const read: { eventId: string; streamId: string; streamPosition: number }[] = [];
    let after = start;
    // An empty page only means "nothing readable yet": a transaction of another test file on the
    // same server can hold the read horizon back. Page on from the checkpoint until all are read.
    await eventually(async () => {
      for (;;) {
        const page = await readAll(pool(), { after, limit: 7 });
        if (page.events.length === 0) break;
        read.push(...page.events);
        after = page.checkpoint;
      }
      expect(read.map((e) => e.eventId)).toHaveLength(40);
    });
    expect(new Set(read.map((e) => e.eventId)).size).toBe(40);
    for (const stream of ['lead-page-0', 'lead-page-1', 'lead-page-2']) {
      const positions = read.filter((e) => e.streamId === stream).map((e) => e.streamPosition);
      expect(positions).toEqual([...positions].sort((a, b) => a - b));
    }
  });
});
