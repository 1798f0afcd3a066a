import { EventEmitter } from 'node:events';
import type { Kafka } from 'kafkajs';
import { pino } from 'pino';
import { describe, expect, it, vi } from 'vitest';
import { DEFAULT_CONSUMER } from './create-kafka-bus.js';
import { subscribeWithKafkajs } from './kafka-subscription.js';

const settings = DEFAULT_CONSUMER;

const events = {
  CRASH: 'consumer.crash',
  GROUP_JOIN: 'consumer.group_join',
  REBALANCING: 'consumer.rebalancing',
};

/**
 * kafkajs's consumer as far as the subscription uses it: its instrumentation events, which only a
 * broker refusing the group can raise for real, are emitted by the test.
 */
function consumerStandIn() {
  const emitter = new EventEmitter();
  const consumer = {
    events,
    on(event: string, listener: (payload: unknown) => void) {
      emitter.on(event, listener);
      return () => emitter.off(event, listener);
    },
    connect: async () => undefined,
    subscribe: async () => undefined,
    run: async () => {
      setImmediate(() => emitter.emit(events.GROUP_JOIN, { payload: {} }));
    },
    pause: () => undefined,
    commitOffsets: async () => undefined,
    disconnect: vi.fn(async () => undefined),
    crash(error: Error, restart: boolean) {
      emitter.emit(events.CRASH, { payload: { error, groupId: 'scoring', restart } });
    },
  };
  return { consumer, kafka: { consumer: () => consumer } as unknown as Kafka };
}

const subscribeOptions = { groupId: 'scoring', topics: ['lead-events'], handleBatch: async () => undefined };

describe('subscribeWithKafkajs', () => {
  it('reports a consumer that kafkajs stopped for good, and only that', async () => {
    const { consumer, kafka } = consumerStandIn();
    const onStopped = vi.fn();
    const subscription = await subscribeWithKafkajs(
      kafka,
      subscribeOptions,
      settings,
      pino({ level: 'silent' }),
      onStopped,
    );

    consumer.crash(new Error('the broker refused a retriable request'), true);
    expect(onStopped).not.toHaveBeenCalled();

    const fatal = new Error('Not authorized to access group');
    consumer.crash(fatal, false);
    expect(onStopped).toHaveBeenCalledWith(fatal, 'scoring');

    await subscription.stop();
    consumer.crash(new Error('after stop'), false);
    expect(onStopped).toHaveBeenCalledTimes(1);
  });

  it('fails the subscribe itself when the consumer crashes before it first joins its group', async () => {
    const { consumer, kafka } = consumerStandIn();
    consumer.run = async () => {
      setImmediate(() => consumer.crash(new Error('Group authorization failed'), false));
    };
    const onStopped = vi.fn();
    await expect(
      subscribeWithKafkajs(kafka, subscribeOptions, settings, pino({ level: 'silent' }), onStopped),
    ).rejects.toThrow('Group authorization failed');
    expect(onStopped).not.toHaveBeenCalled();
    expect(consumer.disconnect).toHaveBeenCalled();
  });
});
