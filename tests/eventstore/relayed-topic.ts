import { afterAll, beforeAll } from 'vitest';
import { topics } from '../../packages/contracts/src/index.js';
import { type Bus, type ConsumedMessage, createKafkaBus } from '../../packages/kafka/src/index.js';
import { createLogger, type Logger } from '../../packages/platform/src/index.js';
import { kafkaBrokers, uniqueTopicPrefix } from '../support/infra.js';

export interface RelayedTopic {
  /** This file's own lead-events topic. */
  readonly topic: string;
  readonly logger: Logger;
  /** Every message read from the topic so far, in arrival order; tests may empty it. */
  readonly received: ConsumedMessage[];
  bus(): Bus;
}

/**
 * A real Kafka bus for the calling test file, its own lead-events topic, and a reader collecting
 * everything a relay publishes there (registered as beforeAll/afterAll hooks).
 */
export function useRelayedTopic(name: string, partitions: number): RelayedTopic {
  const topic = topics(uniqueTopicPrefix()).leadEvents;
  const logger = createLogger({ service: name, level: 'warn' });
  const received: ConsumedMessage[] = [];
  let bus: Bus | undefined;

  beforeAll(async () => {
    bus = createKafkaBus({ brokers: kafkaBrokers(), clientId: name, logger });
    await bus.ensureTopics([{ name: topic, partitions }]);
    await bus.subscribe({
      groupId: `${topic}.reader`,
      topics: [topic],
      fromBeginning: true,
      handleBatch: async (batch) => {
        received.push(...batch.messages);
      },
    });
  });

  afterAll(async () => {
    await bus?.close();
  });

  return {
    topic,
    logger,
    received,
    bus: () => {
      if (!bus) throw new Error('useRelayedTopic(): the bus exists only inside tests and hooks');
      return bus;
    },
  };
}
