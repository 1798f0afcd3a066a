import {
  activityEventSchema,
  leadKeyOf,
  toActivityMessage,
  topics as topicNames,
} from '@leadscore/contracts';
import type { Bus, ConsumedBatch } from '@leadscore/kafka';
import { createMetricsRegistry } from '@leadscore/platform';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { createIngestMetrics } from '../metrics.js';
import { createActivityBatchHandler } from './activity-consumer.js';
import type { ActivityToStore, StoreResult } from './store-activities.js';

const topics = topicNames('');

/** A consumed batch of `count` valid activities of one partition, as the webhook publishes them. */
function batchOf(partition: number, count: number): ConsumedBatch {
  const messages = Array.from({ length: count }, (_, i) => {
    const event = activityEventSchema.parse({
      id: `p${partition}-e${i}`,
      type: 'email.opened',
      occurredAt: '2026-11-20T10:00:00.000Z',
      lead: { id: `lead-${partition}` },
    });
    const message = toActivityMessage(event, new Date('2026-11-20T10:00:01.000Z'));
    return {
      topic: topics.activity,
      partition,
      offset: String(i),
      key: leadKeyOf(message.lead),
      value: Buffer.from(JSON.stringify(message)),
      headers: {},
      timestamp: Date.now(),
    };
  });
  return { topic: topics.activity, partition, messages };
}

/** The handler over a store that records each append, failing those `fails` says should fail. */
function handlerWithStore(fails: (activities: readonly ActivityToStore[]) => boolean = () => false) {
  const appends: string[][] = [];
  const store = async (activities: readonly ActivityToStore[]): Promise<StoreResult> => {
    appends.push(activities.map((activity) => activity.eventId));
    if (fails(activities)) throw new Error('connection terminated');
    return { appended: activities.length, alreadyStored: 0 };
  };
  const handle = createActivityBatchHandler({
    bus: {} as Bus, // every message is valid: nothing is dead-lettered
    topics,
    store,
    logger: pino({ level: 'silent' }),
    metrics: createIngestMetrics(createMetricsRegistry('ingest-test')),
    now: Date.now,
  });
  return { appends, handle };
}

describe('the activity batch handler', () => {
  it("appends the batches one fetch hands over in one transaction, each batch's events in order", async () => {
    const { appends, handle } = handlerWithStore();
    await Promise.all([handle(batchOf(0, 2)), handle(batchOf(3, 3))]);
    await handle(batchOf(5, 1));
    expect(appends).toEqual([['p0-e0', 'p0-e1', 'p3-e0', 'p3-e1', 'p3-e2'], ['p5-e0']]);
  });

  it('fails only the batch that cannot be stored: a failed shared append is retried batch by batch', async () => {
    const { appends, handle } = handlerWithStore((activities) =>
      activities.some((activity) => activity.eventId.startsWith('p1-')),
    );
    const outcomes = await Promise.allSettled([handle(batchOf(0, 1)), handle(batchOf(1, 1))]);
    expect(outcomes.map(({ status }) => status)).toEqual(['fulfilled', 'rejected']);
    expect(appends).toEqual([['p0-e0', 'p1-e0'], ['p0-e0'], ['p1-e0']]);
  });
});
