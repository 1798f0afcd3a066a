import { type ConsumerConfig, Kafka, logLevel } from 'kafkajs';
import { afterEach, describe, expect, it } from 'vitest';
import {
  BATCHING_FETCH,
  type Bus,
  BusUnhealthyError,
  createKafkaBus,
  type KafkaBusOptions,
} from '../../packages/kafka/src/index.js';
import { kafkaBrokers, uniqueTopicPrefix } from '../support/infra.js';
import { describeBusContract } from './bus-contract.js';
import { capturingLogger, eventually, record, silentLogger, uniqueName } from './bus-test-kit.js';

// The broker's group.min.session.timeout.ms is 6 s; short heartbeats make rebalances quick.
const FAST_GROUPS: KafkaBusOptions['consumer'] = {
  sessionTimeoutMs: 6_000,
  rebalanceTimeoutMs: 10_000,
  heartbeatIntervalMs: 300,
  retryBackoff: { initialMs: 100, maxMs: 1_000 },
};

const prefix = uniqueTopicPrefix();

describeBusContract(
  'kafkajs',
  (logger) =>
    createKafkaBus({ brokers: kafkaBrokers(), clientId: 'bus-contract', logger, consumer: FAST_GROUPS }),
  () => prefix,
);

// The webhook's setting (services/ingest): publishes spread over two idempotent producers by key.
const lanesPrefix = uniqueTopicPrefix();
describeBusContract(
  'kafkajs, two producer lanes',
  (logger) =>
    createKafkaBus({
      brokers: kafkaBrokers(),
      clientId: 'bus-contract-lanes',
      logger,
      consumer: FAST_GROUPS,
      producer: { lanes: 2 },
    }),
  () => lanesPrefix,
);

// The services' consumers (services/*/src/*-module.ts): fetches that wait for 16 KiB or 25 ms
// while messages flow, and for any byte once a quarter of a second brought none. The contract's
// subscribers sit idle between publishes, so both waits are exercised.
const batchingPrefix = uniqueTopicPrefix();
describeBusContract(
  'kafkajs, batching fetches that idle',
  (logger) =>
    createKafkaBus({
      brokers: kafkaBrokers(),
      clientId: 'bus-contract-batching',
      logger,
      consumer: { ...FAST_GROUPS, ...BATCHING_FETCH, partitionsConsumedConcurrently: 3 },
    }),
  () => batchingPrefix,
);

describe('kafkajs bus', () => {
  const open: Bus[] = [];
  afterEach(async () => {
    await Promise.all(open.splice(0).map((bus) => bus.close()));
  });

  it('keeps its group membership through a batch that outlasts the session timeout', async () => {
    const { logger, lines } = capturingLogger();
    const bus = createKafkaBus({
      brokers: kafkaBrokers(),
      clientId: 'bus-long-batch',
      logger,
      consumer: FAST_GROUPS,
    });
    open.push(bus);
    const topic = uniqueName(`${prefix}long.`);
    await bus.ensureTopics([{ name: topic, partitions: 1 }]);
    await bus.publish(topic, [{ key: 'lead', value: 'slow' }]);
    // A loaded broker answers "does not host this topic-partition" for a moment after creating a
    // topic; kafkajs logs that at error level and retries. Only what follows is under test.
    const setupLines = lines.length;

    const sessionTimeoutMs = FAST_GROUPS?.sessionTimeoutMs ?? 0;
    const consumer = await record(
      bus,
      { groupId: uniqueName('group.'), topics: [topic] },
      async (_, call) => {
        if (call === 0) await new Promise((resolve) => setTimeout(resolve, sessionTimeoutMs + 1_500));
      },
    );
    await eventually('the slow batch handled', () => consumer.handled().length >= 1);
    await bus.publish(topic, [{ key: 'lead', value: 'next' }]);
    await eventually('the next message handled', () => consumer.handled().length >= 2);

    // Had the member been evicted, its commit would have failed and the batch come back.
    expect(consumer.batches.map((entry) => entry.batch.messages.map((m) => m.value.toString()))).toEqual([
      ['slow'],
      ['next'],
    ]);
    expect(lines.slice(setupLines).filter((line) => line.level === 'error')).toEqual([]);
  }, 30_000);

  it("lets a fetch wait policy set each fetch's wait, and tells it whether the fetch brought messages", async () => {
    const bus = createKafkaBus({
      brokers: kafkaBrokers(),
      clientId: 'bus-fetch-wait',
      logger: silentLogger(),
    });
    open.push(bus);
    const topic = uniqueName(`${prefix}wait.`);
    await bus.ensureTopics([{ name: topic, partitions: 1 }]);
    const kafka = new Kafka({
      brokers: kafkaBrokers(),
      clientId: 'fetch-wait-policy',
      logLevel: logLevel.NOTHING,
    });
    const observed: boolean[] = [];
    const policyWaitMs = 1_000;
    // The option patches/kafkajs@2.2.4.patch adds; the consumer's own wait would answer within 50 ms.
    const consumer = kafka.consumer({
      groupId: uniqueName('group.'),
      minBytes: 1,
      maxWaitTimeInMs: 50,
      fetchWaitPolicy: () => ({
        next: () => ({ minBytes: 1024 * 1024, maxWaitTime: policyWaitMs }),
        observe: (gotMessages: boolean) => observed.push(gotMessages),
      }),
    } as ConsumerConfig);
    const fetchDurations: number[] = [];
    consumer.on(consumer.events.FETCH, ({ payload }) => fetchDurations.push(payload.duration));
    const delivered: string[] = [];
    try {
      await consumer.connect();
      await consumer.subscribe({ topics: [topic], fromBeginning: true });
      await consumer.run({
        eachMessage: async ({ message }) => {
          delivered.push(message.value?.toString() ?? '');
        },
      });
      await eventually('two idle fetches', () => fetchDurations.length >= 2);
      // Held by the broker for the policy's 1 MiB until its wait ran out, not the consumer's 50 ms.
      expect(Math.min(...fetchDurations)).toBeGreaterThanOrEqual(policyWaitMs * 0.9);
      expect(observed.length).toBeGreaterThanOrEqual(2);
      expect(observed).not.toContain(true);

      await bus.publish(topic, [{ key: 'lead', value: 'after the pause' }]);
      await eventually('the message delivered', () => delivered.length === 1);
      expect(delivered).toEqual(['after the pause']);
      expect(observed).toContain(true);
    } finally {
      await consumer.disconnect();
    }
  }, 30_000);

  it('fails its health check within the timeout when the broker is unreachable', async () => {
    const bus = createKafkaBus({
      brokers: ['127.0.0.1:1'],
      clientId: 'bus-unreachable',
      logger: silentLogger(),
      healthCheckTimeoutMs: 1_000,
    });
    open.push(bus);
    const started = Date.now();
    await expect(bus.healthCheck()).rejects.toBeInstanceOf(BusUnhealthyError);
    expect(Date.now() - started).toBeLessThan(2_000);
  });
});
