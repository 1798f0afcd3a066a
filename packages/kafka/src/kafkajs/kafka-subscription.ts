import type { Consumer, EachBatchPayload, Kafka } from 'kafkajs';
import type { Logger } from 'pino';
import type { SubscribeOptions, Subscription } from '../bus.js';
import { type RetryBackoff, retryDelayMs } from '../retry-backoff.js';
import { DeferredOffsetCommits } from './deferred-offset-commits.js';
import { fetchWaitPolicyOption, type IdleFetch } from './idle-aware-fetch-wait.js';
import { toConsumedBatch } from './message-mapping.js';

export interface ConsumerSettings {
  readonly sessionTimeoutMs: number;
  readonly rebalanceTimeoutMs: number;
  readonly heartbeatIntervalMs: number;
  /**
   * How long a fetch waits for minBytes; with 1 byte, how long an idle fetch waits for anything.
   * Not too long: a stop or a pause waits for the fetch in flight.
   */
  readonly maxWaitTimeMs: number;
  /**
   * Bytes a fetch waits for (up to maxWaitTimeMs) before the broker answers. 1 answers as soon as
   * anything arrives; more means fewer, larger batches at a live tail, each event delayed by at
   * most maxWaitTimeMs.
   */
  readonly minBytes: number;
  /**
   * How fetches wait once nothing comes (see IdleAwareFetchWait); undefined: every fetch waits for
   * minBytes or maxWaitTimeMs, idle or not.
   */
  readonly idleFetch?: IdleFetch;
  /** Partitions whose batches may be handled at the same time (each partition stays in order). */
  readonly partitionsConsumedConcurrently: number;
  /** How long a handled batch's offset may wait to be committed with others (DeferredOffsetCommits). */
  readonly commitIntervalMs: number;
  readonly retryBackoff: RetryBackoff;
}

/**
 * One kafkajs consumer in its group, delivering whole batches to `handleBatch`.
 *
 * Offsets are never committed automatically: after the handler resolves, the fetch position moves
 * past the batch and the offset after it waits for the next commit of the group's handled
 * offsets, at most `commitIntervalMs` later (and before the consumer leaves the group on stop).
 * When the handler throws, nothing is resolved, the partition is paused for a backoff and then
 * fetched again from the batch's first offset, so the same messages come back and nothing behind
 * them is skipped. Other partitions keep flowing meanwhile.
 */
export async function subscribeWithKafkajs(
  kafka: Kafka,
  options: SubscribeOptions,
  settings: ConsumerSettings,
  parentLogger: Logger,
  onStopped: (error: Error, groupId: string) => void = () => undefined,
): Promise<Subscription> {
  const logger = parentLogger.child({ groupId: options.groupId });
  const consumer = kafka.consumer({
    groupId: options.groupId,
    sessionTimeout: settings.sessionTimeoutMs,
    rebalanceTimeout: settings.rebalanceTimeoutMs,
    heartbeatInterval: settings.heartbeatIntervalMs,
    maxWaitTimeInMs: settings.maxWaitTimeMs,
    minBytes: settings.minBytes,
    allowAutoTopicCreation: false,
    ...fetchWaitPolicyOption(settings),
  });
  const redeliveries = new RedeliverySchedule(settings.retryBackoff);
  const commits = new DeferredOffsetCommits(
    (offsets) => consumer.commitOffsets(offsets),
    settings.commitIntervalMs,
    logger,
  );
  // Batches being handled, so that stop can let them finish and commit them before leaving.
  const handling = new Set<Promise<void>>();
  let stopping = false;
  // Until the first join, a crash fails subscribe itself (firstGroupJoin).
  let started = false;
  consumer.on(consumer.events.CRASH, ({ payload }) => {
    logger.error({ err: payload.error, restart: payload.restart }, 'consumer crashed');
    // kafkajs restarts a consumer only after a retriable error; after any other it stays down.
    if (started && !stopping && !payload.restart) onStopped(payload.error, options.groupId);
  });
  // Partitions may change hands: commit what this member handled while it is still in the group.
  consumer.on(consumer.events.REBALANCING, () => {
    void commits.flush();
  });

  try {
    await consumer.connect();
    await consumer.subscribe({ topics: [...options.topics], fromBeginning: options.fromBeginning ?? true });
    const joined = firstGroupJoin(consumer);
    await consumer.run({
      autoCommit: false,
      eachBatchAutoResolve: false,
      partitionsConsumedConcurrently: settings.partitionsConsumedConcurrently,
      eachBatch: async (payload) => {
        // A batch fetched while stopping is left unresolved: the group's next owner reads it.
        if (stopping) return;
        const delivery = deliverBatch(payload, options, settings, redeliveries, commits, logger);
        handling.add(delivery);
        try {
          await delivery;
        } finally {
          handling.delete(delivery);
        }
      },
    });
    await joined;
    started = true;
  } catch (error) {
    await consumer.disconnect().catch(() => undefined);
    throw error;
  }

  return {
    async stop() {
      redeliveries.cancelAll();
      stopping = true;
      // Finish the batches in hand and commit every handled offset while still a member of the
      // group, so the next owner of these partitions starts after them; then leave.
      try {
        consumer.pause(options.topics.map((topic) => ({ topic })));
      } catch (error) {
        // A consumer that crashed for good no longer runs: nothing to pause; disconnect all the same.
        logger.debug({ err: error }, 'pausing a consumer that no longer runs');
      }
      await Promise.allSettled(handling);
      await commits.flush();
      await consumer.disconnect();
    },
  };
}

async function deliverBatch(
  payload: EachBatchPayload,
  options: SubscribeOptions,
  settings: ConsumerSettings,
  redeliveries: RedeliverySchedule,
  commits: DeferredOffsetCommits,
  logger: Logger,
): Promise<void> {
  const { batch, heartbeat, pause, resolveOffset } = payload;
  const lastMessage = batch.messages[batch.messages.length - 1];
  if (!lastMessage) return;

  // A long batch must not cost the group membership: keep heartbeating while the handler runs.
  const keepAlive = setInterval(() => {
    heartbeat().catch((error: unknown) => logger.debug({ err: error }, 'heartbeat during a batch failed'));
  }, settings.heartbeatIntervalMs);
  try {
    await options.handleBatch(toConsumedBatch(batch));
  } catch (error) {
    const { failures, delayMs } = redeliveries.schedule(batch.topic, batch.partition, pause());
    logger.warn(
      {
        err: error,
        topic: batch.topic,
        partition: batch.partition,
        firstOffset: batch.firstOffset(),
        batchSize: batch.messages.length,
        failures,
        retryInMs: delayMs,
      },
      'batch handler failed; the batch will be delivered again',
    );
    return;
  } finally {
    clearInterval(keepAlive);
  }

  commits.record({
    topic: batch.topic,
    partition: batch.partition,
    offset: (BigInt(batch.lastOffset()) + 1n).toString(),
  });
  resolveOffset(lastMessage.offset);
  redeliveries.succeeded(batch.topic, batch.partition);
}

/** Failures and pending resumes per partition, so backoff grows while a partition keeps failing. */
class RedeliverySchedule {
  private readonly failures = new Map<string, number>();
  private readonly timers = new Set<NodeJS.Timeout>();

  constructor(private readonly backoff: RetryBackoff) {}

  schedule(topic: string, partition: number, resume: () => void): { failures: number; delayMs: number } {
    const key = `${topic}#${partition}`;
    const failures = (this.failures.get(key) ?? 0) + 1;
    this.failures.set(key, failures);
    const delayMs = retryDelayMs(this.backoff, failures, Math.random());
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      resume();
    }, delayMs);
    this.timers.add(timer);
    return { failures, delayMs };
  }

  succeeded(topic: string, partition: number): void {
    this.failures.delete(`${topic}#${partition}`);
  }

  cancelAll(): void {
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
  }
}

/** Resolves when the consumer first holds its assignment; rejects if it crashes before that. */
function firstGroupJoin(consumer: Consumer): Promise<void> {
  return new Promise((resolve, reject) => {
    const removeJoin = consumer.on(consumer.events.GROUP_JOIN, () => {
      removeJoin();
      removeCrash();
      resolve();
    });
    const removeCrash = consumer.on(consumer.events.CRASH, ({ payload }) => {
      removeJoin();
      removeCrash();
      reject(payload.error);
    });
  });
}
