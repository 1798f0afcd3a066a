import type { Logger } from 'pino';
import type { Bus, OutgoingMessage, SubscribeOptions, Subscription, TopicSpec } from '../bus.js';
import { BusClosedError, UnknownTopicError } from '../errors.js';
import { DEFAULT_RETRY_BACKOFF, type RetryBackoff } from '../retry-backoff.js';
import { validateSubscribeOptions, validateTopicSpecs } from '../validate-options.js';
import { ConsumerGroup } from './consumer-group.js';
import { GroupMember } from './group-member.js';
import { TopicLog } from './topic-log.js';
import { WakeSignal } from './wake-signal.js';

export interface InProcessBusOptions {
  /** Where failed batches are reported. */
  readonly logger: Logger;
  /** Partitions of a topic created without a count (Kafka would use the broker's num.partitions). */
  readonly defaultPartitions?: number;
  /** Most messages handed to one handleBatch call. */
  readonly maxBatchSize?: number;
  readonly retryBackoff?: RetryBackoff;
}

/**
 * The bus for the quickstart: Kafka's delivery contract (per-key order, per-group committed
 * offsets, batches, redelivery after a failed handler) inside one process, without a broker.
 *
 * Everything lives in memory. A crash or restart loses every topic's messages and every group's
 * committed offsets. Precisely what that costs:
 * - Webhook events answered with 202 but not yet appended to the event store are gone: in the
 *   quickstart, 202 means "held in memory", not "acknowledged by Kafka". Acceptable for a local
 *   trial, and the reason production runs on Kafka with acks=all.
 * - Anything published downstream of the event store (recorded events, score and stage changes)
 *   is not lost as a fact, because the store holds it; but a subscriber that had not handled it
 *   yet will not see it again unless it is republished. So the quickstart must replay from the
 *   store on start (rewind the relay, or rebuild projections); consumers are idempotent by event
 *   id, so a replay costs time, never correctness.
 */
export function createInProcessBus(options: InProcessBusOptions): Bus {
  const logger = options.logger.child({ component: 'in-process-bus' });
  const defaultPartitions = options.defaultPartitions ?? 4;
  const maxBatchSize = options.maxBatchSize ?? 500;
  const retryBackoff = options.retryBackoff ?? DEFAULT_RETRY_BACKOFF;
  const topics = new Map<string, TopicLog>();
  const groups = new Map<string, ConsumerGroup>();
  const members = new Set<GroupMember>();
  const signal = new WakeSignal();
  let closed = false;

  function topic(name: string): TopicLog {
    const log = topics.get(name);
    if (!log) throw new UnknownTopicError(name);
    return log;
  }

  function group(groupId: string): ConsumerGroup {
    let existing = groups.get(groupId);
    if (!existing) {
      existing = new ConsumerGroup(groupId, topic);
      groups.set(groupId, existing);
    }
    return existing;
  }

  function assertOpen(operation: string): void {
    if (closed) throw new BusClosedError(operation);
  }

  return {
    async publish(topicName: string, messages: readonly OutgoingMessage[]): Promise<void> {
      assertOpen('publish');
      const log = topic(topicName);
      const timestamp = Date.now();
      for (const message of messages) log.append(message, timestamp);
      if (messages.length > 0) signal.notify();
    },

    async subscribe(subscribeOptions: SubscribeOptions): Promise<Subscription> {
      assertOpen('subscribe');
      validateSubscribeOptions(subscribeOptions);
      for (const name of subscribeOptions.topics) topic(name);
      const member = new GroupMember(subscribeOptions, {
        group: group(subscribeOptions.groupId),
        signal,
        logger,
        maxBatchSize,
        retryBackoff,
      });
      member.start();
      members.add(member);
      return {
        stop: async () => {
          members.delete(member);
          await member.stop();
        },
      };
    },

    async ensureTopics(specs: readonly TopicSpec[]): Promise<void> {
      assertOpen('ensure topics');
      validateTopicSpecs(specs);
      for (const spec of specs) {
        if (!topics.has(spec.name)) {
          topics.set(spec.name, new TopicLog(spec.name, spec.partitions ?? defaultPartitions));
        }
      }
    },

    async healthCheck(): Promise<void> {
      assertOpen('check health');
    },

    async close(): Promise<void> {
      if (closed) return;
      closed = true;
      await Promise.all([...members].map((member) => member.stop()));
      members.clear();
    },
  };
}
