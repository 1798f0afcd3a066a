import { describe, expect, it } from 'vitest';
import {
  appendToStream,
  type LeaderRelay,
  leadEventsRoute,
  type NewEvent,
  startLeaderRelay,
} from '../../packages/eventstore/src/index.js';
import { useEventStoreDatabase } from './event-store-database.js';
import { eventually } from './eventually.js';
import { useRelayedTopic } from './relayed-topic.js';

const pool = useEventStoreDatabase();
const { topic, logger, received, bus } = useRelayedTopic('relay-leadership-test', 2);

function visit(id: string): NewEvent {
  return { id, type: 'page.visited', data: { properties: { url: '/pricing' } }, occurredAt: new Date() };
}

function instance(): LeaderRelay {
  return startLeaderRelay({
    pool: pool(),
    bus: bus(),
    routes: [leadEventsRoute({ topic })],
    retryMs: 200,
    logger,
  });
}

const ids = () => received.map((message) => message.headers.ce_id).sort();

describe('relay leadership', () => {
  it('runs one relay among instances and hands over when the leader stops', async () => {
    const first = instance();
    const second = instance();
    try {
      await eventually(async () =>
        expect([first.isLeader(), second.isLeader()].filter(Boolean)).toHaveLength(1),
      );
      const [leader, follower] = first.isLeader() ? [first, second] : [second, first];

      await appendToStream(pool(), 'lead-ada', [visit('lead-ada-1'), visit('lead-ada-2')]);
      await eventually(async () => expect(ids()).toEqual(['lead-ada-1', 'lead-ada-2']));

      await leader.stop();
      await eventually(async () => expect(follower.isLeader()).toBe(true));
      await appendToStream(pool(), 'lead-bob', [visit('lead-bob-1')]);
      await eventually(async () => expect(ids()).toEqual(['lead-ada-1', 'lead-ada-2', 'lead-bob-1']));
      // Only one relay ran at a time, so nothing went out twice.
      await new Promise((resolve) => setTimeout(resolve, 500));
      expect(received).toHaveLength(3);
    } finally {
      await Promise.all([first.stop(), second.stop()]);
    }
  });
});
