import { Kafka } from 'kafkajs';
import type { Logger } from 'pino';
import type { Bus, SubscribeOptions, Subscription, TopicSpec } from '../bus.js';
import { BusClosedError, BusOptionsError } from '../errors.js';
import { DEFAULT_RETRY_BACKOFF } from '../retry-backoff.js';
import { validateSubscribeOptions, validateTopicSpecs } from '../validate-options.js';
import { ClusterAdmin } from './cluster-admin.js';
import { CoalescingPublisher } from './coalescing-publisher.js';
import { JavaCompatiblePartitioner } from './java-partitioner.js';
import { type ConsumerSettings, subscribeWithKafkajs } from './kafka-subscription.js';
import { KeyShardedPublisher } from './key-sharded-publisher.js';
import { type KafkaLogLevel, pinoLogCreator, toKafkajsLogLevel } from './pino-log-creator.js';

export interface KafkaBusOptions {
  readonly brokers: readonly string[];
  readonly clientId: string;
  readonly logger: Logger;
  /** kafkajs's own log lines below this level are dropped. Default warn. */
  readonly kafkaLogLevel?: KafkaLogLevel;
  /** Default 3000. */
  readonly connectionTimeoutMs?: number;
  /** Default 30000. */
  readonly requestTimeoutMs?: number;
  /** How long healthCheck waits for the cluster's metadata. Default 2000. */
  readonly healthCheckTimeoutMs?: number;
  readonly producer?: {
    /**
     * Retries of a failed produce request before publish rejects. Bounded on purpose: a webhook
     * must answer "unavailable" while Kafka is down rather than hang. Default 5 (about 10 s).
     */
    readonly retries?: number;
    /** Publishes waiting together are merged into one request up to about this size. Default 512 KiB. */
    readonly maxRequestBytes?: number;
    /**
     * Idempotent producers publishing side by side, each key always through the same one, so
     * several produce requests can be in flight (see KeyShardedPublisher). Default 1.
     */
    readonly lanes?: number;
  };
  readonly consumer?: Partial<ConsumerSettings>;
  /**
   * Called when kafkajs stopped a consumer for good: it crashed on an error it does not retry
   * (authorisation, an unsupported request, ...) and will not restart, so its partitions go
   * unread while the process looks healthy. Default: the crash is only logged.
   */
  readonly onConsumerStopped?: (error: Error, groupId: string) => void;
}

/**
 * With minBytes 1 the broker answers a fetch as soon as anything arrives, so the wait only paces
 * an idle consumer's polling: every empty fetch costs kafkajs about a millisecond of CPU (5.6% of a
 * core idle at 25 ms, 2.6% at 100 ms, measured on an empty 6-partition topic), and no message
 * waits for it. Its price is that a stop or pause may wait that long for the fetch in flight.
 */
export const DEFAULT_CONSUMER: ConsumerSettings = {
  sessionTimeoutMs: 30_000,
  rebalanceTimeoutMs: 60_000,
  heartbeatIntervalMs: 3_000,
  maxWaitTimeMs: 100,
  minBytes: 1,
  partitionsConsumedConcurrently: 1,
  // Short enough that a restart redelivers little; long enough that each group commits about
  // five times a second instead of after every batch (about twenty at 2,000 events/s).
  commitIntervalMs: 200,
  retryBackoff: DEFAULT_RETRY_BACKOFF,
};

/** The production bus: Kafka through kafkajs, with the delivery contract described in bus.ts. */
export function createKafkaBus(options: KafkaBusOptions): Bus {
  if (options.brokers.length === 0) throw new BusOptionsError('brokers', 'name at least one host:port');
  const logger = options.logger.child({ component: 'kafka-bus' });
  const consumerSettings: ConsumerSettings = { ...DEFAULT_CONSUMER, ...options.consumer };
  const kafka = new Kafka({
    clientId: options.clientId,
    brokers: [...options.brokers],
    connectionTimeout: options.connectionTimeoutMs ?? 3_000,
    requestTimeout: options.requestTimeoutMs ?? 30_000,
    logLevel: toKafkajsLogLevel(options.kafkaLogLevel ?? 'warn'),
    logCreator: pinoLogCreator(options.logger),
  });
  const lanes = options.producer?.lanes ?? 1;
  const lane = () =>
    new CoalescingPublisher({
      logger,
      maxRequestBytes: options.producer?.maxRequestBytes ?? 512 * 1024,
      createProducer: () =>
        kafka.producer({
          idempotent: true,
          maxInFlightRequests: 1,
          allowAutoTopicCreation: false,
          // Keys land where Java clients (a CRM's consumers, Kafka Streams) expect them: kafkajs's
          // DefaultPartitioner placement, at a fraction of its CPU per message.
          createPartitioner: JavaCompatiblePartitioner,
          retry: { retries: options.producer?.retries ?? 5 },
        }),
    });
  const publisher = new KeyShardedPublisher(Array.from({ length: lanes }, lane));
  const admin = new ClusterAdmin(kafka, options.brokers, logger);
  const subscriptions = new Set<Subscription>();
  let closed = false;

  function assertOpen(operation: string): void {
    if (closed) throw new BusClosedError(operation);
  }

  return {
    publish: (topic, messages) => publisher.publish(topic, messages),

    async subscribe(subscribeOptions: SubscribeOptions): Promise<Subscription> {
      assertOpen('subscribe');
      validateSubscribeOptions(subscribeOptions);
      const subscription = await subscribeWithKafkajs(
        kafka,
        subscribeOptions,
        consumerSettings,
        logger,
        options.onConsumerStopped,
      ).catch(async (error: unknown) => {
        throw (await admin.missingTopic(subscribeOptions.topics)) ?? error;
      });
      const tracked: Subscription = {
        async stop() {
          subscriptions.delete(tracked);
          await subscription.stop();
        },
      };
      subscriptions.add(tracked);
      return tracked;
    },

    async ensureTopics(specs: readonly TopicSpec[]): Promise<void> {
      assertOpen('ensure topics');
      validateTopicSpecs(specs);
      await admin.ensureTopics(specs);
    },

    async healthCheck(): Promise<void> {
      assertOpen('check health');
      await admin.healthCheck(options.healthCheckTimeoutMs ?? 2_000);
    },

    async close(): Promise<void> {
      if (closed) return;
      closed = true;
      await Promise.all([...subscriptions].map((subscription) => subscription.stop()));
      await Promise.all([publisher.close(), admin.close()]);
    },
  };
}
