import { describe, expect, it } from 'vitest';
import { BusUnhealthyError, createKafkaBus } from '../../packages/kafka/src/index.js';
import { kafkaBrokers, uniqueTopicPrefix } from '../support/infra.js';
import { describeBusContract } from './bus-contract.js';
import { silentLogger } from './bus-test-kit.js';

// The broker's group.min.session.timeout.ms is 6 s; short heartbeats make rebalances quick.
const FAST_GROUPS = {
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

describe('kafkajs bus against an unreachable broker', () => {
  it('fails its health check within the timeout', async () => {
    const bus = createKafkaBus({
      brokers: ['127.0.0.1:1'],
      clientId: 'bus-unreachable',
      logger: silentLogger(),
      healthCheckTimeoutMs: 1_000,
    });
    const started = Date.now();
    await expect(bus.healthCheck()).rejects.toBeInstanceOf(BusUnhealthyError);
    expect(Date.now() - started).toBeLessThan(2_000);
    await bus.close();
  });
});
