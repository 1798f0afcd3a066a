import {
  activityEventSchema,
  leadKeyOf,
  toActivityMessage,
  topics as topicNames,
} from '@leadscore/contracts';
import type { Bus, ConsumedBatch, OutgoingMessage } from '@leadscore/kafka';
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

/**
 * The handler over a store that records each append, failing with `failure` those `fails` says
 * should fail, and over a bus that records what is dead-lettered.
 */
function handlerWithStore(
  fails: (activities: readonly ActivityToStore[]) => boolean = () => false,
  failure: () => Error = () => new Error('connection terminated'),
) {
  const appends: string[][] = [];
  const deadLettered: OutgoingMessage[] = [];
  const store = async (activities: readonly ActivityToStore[]): Promise<StoreResult> => {
    appends.push(activities.map((activity) => activity.eventId));
    if (fails(activities)) throw failure();
    // An id starting with "taken-" names an event already stored for another lead.
    const conflicts = activities
      .filter((activity) => activity.eventId.startsWith('taken-'))
      .map(({ eventId, streamId }) => ({ eventId, streamId, storedStreamId: 'lead-other' }));
    return { appended: activities.length - conflicts.length, alreadyStored: 0, conflicts };
  };
  const bus = {
    publish: async (topic: string, messages: readonly OutgoingMessage[]) => {
      expect(topic).toBe(topics.activityDlq);
      deadLettered.push(...messages);
    },
  } as unknown as Bus;
  const handle = createActivityBatchHandler({
    bus,
    topics,
    store,
    logger: pino({ level: 'silent' }),
    metrics: createIngestMetrics(createMetricsRegistry('ingest-test')),
    now: Date.now,
  });
  return { appends, deadLettered, handle };
}

/** What PostgreSQL answers for a value it cannot store: a data exception, with its SQLSTATE. */
function dataException(): Error {
  return Object.assign(new Error('date/time field value out of range: "0000-01-01T00:00:00.000Z"'), {
    code: '22008',
  });
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

  it('dead-letters an event the database refuses as a value, stores the rest of its batch, and goes on', async () => {
    const { appends, deadLettered, handle } = handlerWithStore(
      (activities) => activities.some((activity) => activity.eventId === 'p2-e1'),
      dataException,
    );
    await handle(batchOf(2, 3));
    expect(appends).toEqual([['p2-e0', 'p2-e1', 'p2-e2'], ['p2-e0'], ['p2-e1'], ['p2-e2']]);
    expect(deadLettered.map((letter) => letter.headers?.['x-dlq-reason'])).toEqual(['unstorable-event']);
    expect(deadLettered[0]?.headers?.['x-dlq-source-offset']).toBe('1');
    expect(deadLettered[0]?.headers?.['x-dlq-error']).toContain('out of range');
  });

  it('redelivers a batch the database refuses for any other reason, dead-lettering nothing', async () => {
    const { deadLettered, handle } = handlerWithStore(() => true);
    await expect(handle(batchOf(4, 2))).rejects.toThrow('connection terminated');
    expect(deadLettered).toEqual([]);
  });

  it("dead-letters an event whose id names another lead's event, and only that one", async () => {
    const { deadLettered, handle } = handlerWithStore();
    const batch = batchOf(6, 2);
    const taken = batchOf(7, 1).messages[0]!;
    const activity = JSON.parse(taken.value.toString());
    const reused = {
      ...taken,
      partition: 6,
      offset: '2',
      value: Buffer.from(JSON.stringify({ ...activity, id: 'taken-1' })),
    };
    await handle({ ...batch, messages: [...batch.messages, reused] });
    expect(deadLettered.map((letter) => letter.headers?.['x-dlq-reason'])).toEqual(['id-conflict']);
    expect(deadLettered[0]?.headers?.['x-dlq-source-offset']).toBe('2');
    expect(deadLettered[0]?.headers?.['x-dlq-error']).toContain(
      'taken-1 already names an event of lead-other',
    );
  });
});
