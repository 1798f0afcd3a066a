import { afterEach, describe, expect, it } from 'vitest';
import {
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
