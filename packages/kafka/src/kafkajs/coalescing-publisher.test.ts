import type { Producer, ProducerBatch } from 'kafkajs';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { PublishFailedError } from '../errors.js';
import { CoalescingPublisher } from './coalescing-publisher.js';

/**
 * The merging and recovery logic only; that Kafka accepts what is sent is proven by the bus
 * contract suite against a real broker (tests/bus). The stand-in records each produce request and
 * lets the test decide when, and how, each one completes.
 */
function recordingProducers() {
  const requests: { batch: ProducerBatch; settle: (error?: Error) => void }[] = [];
  let created = 0;
  const createProducer = (): Producer => {
    created += 1;
    const producer: Partial<Producer> = {
      connect: async () => {},
      disconnect: async () => {},
      sendBatch: (batch: ProducerBatch) =>
        new Promise((resolve, reject) => {
          requests.push({ batch, settle: (error) => (error ? reject(error) : resolve([])) });
        }),
    };
    return producer as Producer;
  };
  return { requests, createProducer, created: () => created };
}

const logger = pino({ level: 'silent' });
const message = (key: string, value: string) => ({ key, value });
const flush = () => new Promise((resolve) => setImmediate(resolve));
const sentValues = (batch: ProducerBatch) =>
  (batch.topicMessages ?? []).map(({ topic, messages }) => [topic, messages.map((m) => String(m.value))]);

describe('CoalescingPublisher', () => {
  it('sends the first publish at once and merges those that queue behind it, in arrival order', async () => {
    const producers = recordingProducers();
    const publisher = new CoalescingPublisher({ ...producers, logger, maxRequestBytes: 1_000_000 });
    const first = publisher.publish('a', [message('k', '1')]);
    await flush();
    const queued = [
      publisher.publish('a', [message('k', '2')]),
      publisher.publish('b', [message('k', '3')]),
      publisher.publish('a', [message('k', '4'), message('j', '5')]),
    ];
    await flush();
    expect(producers.requests).toHaveLength(1);

    producers.requests[0]?.settle();
    await first;
    await flush();
    expect(producers.requests).toHaveLength(2);
    expect(sentValues(producers.requests[1]!.batch)).toEqual([
      ['a', ['2', '4', '5']],
      ['b', ['3']],
    ]);
    expect(producers.requests[1]?.batch.acks).toBe(-1);
    producers.requests[1]?.settle();
    await Promise.all(queued);
  });

  it('rejects every publish of a failed request and sends the next through a new producer', async () => {
    const producers = recordingProducers();
    const publisher = new CoalescingPublisher({ ...producers, logger, maxRequestBytes: 1_000_000 });
    const first = publisher.publish('a', [message('k', '1')]);
    await flush();
    const second = publisher.publish('a', [message('k', '2')]);
    const third = publisher.publish('a', [message('k', '3')]);
    producers.requests[0]?.settle();
    await first;
    await flush();
    producers.requests[1]?.settle(new Error('broker gone'));

    await expect(second).rejects.toBeInstanceOf(PublishFailedError);
    await expect(third).rejects.toThrow(/2 message\(s\) to a was not acknowledged: broker gone/);
    const fourth = publisher.publish('a', [message('k', '4')]);
    await flush();
    expect(producers.created()).toBe(2);
    producers.requests[2]?.settle();
    await expect(fourth).resolves.toBeUndefined();
  });

  it('fails the publishes queued behind a failed request, so no later message overtakes an earlier one', async () => {
    const producers = recordingProducers();
    // Two bytes per message: every publish is a request of its own.
    const publisher = new CoalescingPublisher({ ...producers, logger, maxRequestBytes: 2 });
    const first = publisher.publish('a', [message('k', '1')]);
    await flush();
    const behind = publisher.publish('a', [message('k', '2')]);
    producers.requests[0]?.settle(new Error('broker gone'));

    await expect(first).rejects.toBeInstanceOf(PublishFailedError);
    await expect(behind).rejects.toThrow(/broker gone/);
    expect(producers.requests).toHaveLength(1);
    const resent = publisher.publish('a', [message('k', '1')]);
    await flush();
    expect(producers.requests.map((request) => sentValues(request.batch))).toEqual([
      [['a', ['1']]],
      [['a', ['1']]],
    ]);
    producers.requests[1]?.settle();
    await expect(resent).resolves.toBeUndefined();
  });

  it('merges up to the size limit (key + value bytes), and sends a larger publish alone', async () => {
    const producers = recordingProducers();
    const publisher = new CoalescingPublisher({ ...producers, logger, maxRequestBytes: 10 });
    const published = [
      publisher.publish('a', [message('k', 'x'.repeat(50))]),
      publisher.publish('a', [message('k', '1234')]),
      publisher.publish('a', [message('k', '5678')]),
      publisher.publish('a', [message('k', '9')]),
    ];
    for (let i = 0; i < 3; i += 1) {
      await flush();
      producers.requests[i]?.settle();
    }
    await Promise.all(published);
    expect(producers.requests.map(({ batch }) => sentValues(batch))).toEqual([
      [['a', ['x'.repeat(50)]]],
      [['a', ['1234', '5678']]],
      [['a', ['9']]],
    ]);
  });

  it('lets queued publishes finish on close and refuses new ones', async () => {
    const producers = recordingProducers();
    const publisher = new CoalescingPublisher({ ...producers, logger, maxRequestBytes: 1_000_000 });
    const pending = publisher.publish('a', [message('k', '1')]);
    await flush();
    const closing = publisher.close();
    await expect(publisher.publish('a', [message('k', '2')])).rejects.toThrow(/closed/);
    producers.requests[0]?.settle();
    await pending;
    await closing;
  });
});
