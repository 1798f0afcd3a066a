import { beforeAll, describe, expect, it } from 'vitest';
import {
  type AllSubscription,
  appendToStream,
  type NewEvent,
  readCheckpoint,
  subscribeToAll,
} from '../../packages/eventstore/src/index.js';
import { useEventStoreDatabase } from './event-store-database.js';
import { eventually } from './eventually.js';

const pool = useEventStoreDatabase();

beforeAll(async () => {
  await pool().query(
    'CREATE TABLE projected (subscriber text, event_id text, PRIMARY KEY (subscriber, event_id))',
  );
});

function events(prefix: string, count: number): NewEvent[] {
  return Array.from({ length: count }, (_, i) => ({
    id: `${prefix}-${i}`,
    type: 'email.opened',
    data: {},
    occurredAt: new Date('2024-05-01T10:00:00Z'),
  }));
}

async function projectedIds(subscriber: string): Promise<string[]> {
  const { rows } = await pool().query<{ event_id: string }>(
    'SELECT event_id FROM projected WHERE subscriber = $1 ORDER BY event_id',
    [subscriber],
  );
  return rows.map((row) => row.event_id);
}

/** A projection writing through the subscription's transaction; a duplicate insert would fail the batch. */
function project(subscriber: string, failOnce: string | undefined) {
  let failed = false;
  return subscribeToAll({
    pool: pool(),
    subscriber,
    batchSize: 5,
    pollIntervalMs: 50,
    retry: { minMs: 10, maxMs: 50 },
    handle: async (batch, tx) => {
      for (const event of batch) {
        await tx.query('INSERT INTO projected (subscriber, event_id) VALUES ($1, $2)', [
          subscriber,
          event.eventId,
        ]);
        if (event.eventId === failOnce && !failed) {
          failed = true;
          throw new Error('projection failed mid-batch');
        }
      }
    },
  });
}

describe('subscribeToAll', () => {
  it('commits effects and checkpoint together: a failed batch is retried whole, nothing doubled', async () => {
    await appendToStream(pool(), 'lead-sub-1', events('a', 12));
    const subscription = await project('exactly-once', 'a-7');
    try {
      const expected = events('a', 12)
        .map((e) => e.id)
        .sort();
      await eventually(async () => expect(await projectedIds('exactly-once')).toEqual(expected));
      await appendToStream(pool(), 'lead-sub-2', events('b', 3));
      await eventually(async () => expect(await projectedIds('exactly-once')).toHaveLength(15));
      const stored = await readCheckpoint(pool(), 'exactly-once');
      expect(stored).toEqual(subscription.position());
    } finally {
      await subscription.stop();
    }
  });

  it('resumes from its checkpoint after a restart', async () => {
    const first = await project('resumer', undefined);
    await eventually(async () => expect(await projectedIds('resumer')).toHaveLength(15));
    await first.stop();
    await appendToStream(pool(), 'lead-sub-3', events('c', 4));
    const second = await project('resumer', undefined);
    try {
      await eventually(async () => expect(await projectedIds('resumer')).toHaveLength(19));
    } finally {
      await second.stop();
    }
  });

  it('wakes on NOTIFY long before its poll interval, and finds events by polling alone without LISTEN', async () => {
    const handledAt: Record<string, number> = {};
    const start = (subscriber: string, listen: boolean, pollIntervalMs: number): Promise<AllSubscription> =>
      subscribeToAll({
        pool: pool(),
        subscriber,
        listen,
        pollIntervalMs,
        handle: async (batch) => {
          for (const event of batch) handledAt[`${subscriber}:${event.eventId}`] ??= Date.now();
        },
      });
    const listening = await start('listener', true, 60_000);
    const polling = await start('poller', false, 100);
    try {
      // both catch up with what is there, then idle
      await eventually(async () => expect(Object.keys(handledAt).length).toBeGreaterThanOrEqual(38));
      await new Promise((resolve) => setTimeout(resolve, 200));
      const appendedAt = Date.now();
      await appendToStream(pool(), 'lead-sub-4', events('d', 1));
      await eventually(async () => {
        expect(handledAt['listener:d-0']).toBeDefined();
        expect(handledAt['poller:d-0']).toBeDefined();
      });
      // the listener's poll interval is a minute: only the notification can have woken it
      expect(handledAt['listener:d-0']! - appendedAt).toBeLessThan(5_000);
    } finally {
      await Promise.all([listening.stop(), polling.stop()]);
    }
  });

  it('a notification for an event held back behind the read horizon is not lost: handled soon after the horizon moves', async () => {
    const handled: string[] = [];
    const listening = await subscribeToAll({
      pool: pool(),
      subscriber: 'held-back-listener',
      pollIntervalMs: 60_000,
      handle: async (batch) => {
        handled.push(...batch.map((event) => event.eventId));
      },
    });
    const blocker = await pool().connect();
    try {
      const { rows } = await pool().query<{ count: string }>('SELECT count(*) FROM eventstore.messages');
      await eventually(async () => expect(handled).toHaveLength(Number(rows[0]?.count)));
      // An older transaction still in flight keeps the next append out of reach of every reader.
      await blocker.query('BEGIN');
      await blocker.query('SELECT pg_current_xact_id()');
      await appendToStream(pool(), 'lead-sub-5', events('e', 1));
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(handled).not.toContain('e-0');
      await blocker.query('COMMIT');
      const horizonMovedAt = Date.now();
      await eventually(async () => expect(handled).toContain('e-0'));
      // a whole poll interval is a minute: the reader looked again because it knew it was held back
      expect(Date.now() - horizonMovedAt).toBeLessThan(5_000);
    } finally {
      blocker.release();
      await listening.stop();
    }
  });
});
