import { describe, expect, it } from 'vitest';
import { fromCloudEventHeaders, leadEventSchema } from '../../packages/contracts/src/index.js';
import {
  appendToStream,
  leadEventsRoute,
  type NewEvent,
  readCheckpoint,
  startRelay,
} from '../../packages/eventstore/src/index.js';
import type { ConsumedMessage } from '../../packages/kafka/src/index.js';
import { useEventStoreDatabase } from './event-store-database.js';
import { eventually } from './eventually.js';
import { useRelayedTopic } from './relayed-topic.js';

const pool = useEventStoreDatabase();
const { topic, logger, received, bus } = useRelayedTopic('eventstore-relay-test', 3);

function activity(id: string, type = 'page.visited'): NewEvent {
  return {
    id,
    type,
    data: { email: 'ann@example.com', properties: { url: '/pricing' } },
    occurredAt: new Date('2024-05-01T10:00:00Z'),
  };
}

function relay() {
  return startRelay({ pool: pool(), bus: bus(), routes: [leadEventsRoute({ topic })], batchSize: 7, logger });
}

function idsOf(messages: readonly ConsumedMessage[]): string[] {
  return messages.map((m) => m.headers.ce_id ?? '');
}

describe('relay', () => {
  it('publishes a late-committing event and a restart in between loses neither', async () => {
    const running = await relay();
    const slow = await pool().connect();
    try {
      await slow.query('BEGIN');
      await appendToStream(slow, 'lead-relay-slow', [activity('relay-slow')]);
      await appendToStream(pool(), 'lead-relay-fast', [activity('relay-fast')]);
      await new Promise((resolve) => setTimeout(resolve, 300));
      await running.stop();
      // the relay held back: it neither published the fast event nor moved past the slow one
      expect(await readCheckpoint(pool(), 'relay')).toBeUndefined();
      expect(idsOf(received)).toEqual([]);
      await slow.query('COMMIT');
    } finally {
      slow.release();
    }
    const restarted = await relay();
    try {
      // different leads, so different partitions: no order between them, but each exactly once
      await eventually(async () => expect(idsOf(received).sort()).toEqual(['relay-fast', 'relay-slow']));
    } finally {
      await restarted.stop();
    }
    const slowMessage = received.find((m) => m.headers.ce_id === 'relay-slow')!;
    expect(slowMessage.key).toBe('relay-slow');
    expect(fromCloudEventHeaders(slowMessage.headers)).toMatchObject({
      id: 'relay-slow',
      type: 'io.leadscore.page.visited',
      subject: 'relay-slow',
      time: '2024-05-01T10:00:00.000Z',
    });
    expect(leadEventSchema.parse(JSON.parse(slowMessage.value.toString()))).toMatchObject({
      eventId: 'relay-slow',
      leadId: 'relay-slow',
      streamPosition: 1,
      data: { email: 'ann@example.com', properties: { url: '/pricing' } },
    });
  });

  it('keeps every lead in stream order across batches and transactions, and skips non-lead events', async () => {
    received.length = 0;
    const running = await relay();
    try {
      const leads = ['ord-a', 'ord-b', 'ord-c'];
      for (let round = 0; round < 8; round += 1) {
        await Promise.all(
          leads.map((lead) =>
            appendToStream(pool(), `lead-${lead}`, [
              activity(`${lead}-${round}-0`),
              activity(`${lead}-${round}-1`),
            ]),
          ),
        );
      }
      await appendToStream(pool(), 'ruleset-1', [activity('not-a-lead-event', 'RulesetPublished')]);
      await eventually(async () => expect(received).toHaveLength(48));
      for (const lead of leads) {
        const positions = received
          .filter((m) => m.key === lead)
          .map((m) => JSON.parse(m.value.toString()).streamPosition as number);
        expect(positions).toEqual(Array.from({ length: 16 }, (_, i) => i + 1));
      }
      expect(idsOf(received)).not.toContain('not-a-lead-event');
    } finally {
      await running.stop();
    }
  });
});
