import type { Logger } from 'pino';
import type { SubscribeOptions, Subscription } from '../bus.js';
import { type RetryBackoff, retryDelayMs } from '../retry-backoff.js';
import type { ConsumerGroup, GroupMemberRef, PartitionWork } from './consumer-group.js';
import type { WakeSignal } from './wake-signal.js';

export interface GroupMemberSettings {
  readonly group: ConsumerGroup;
  readonly signal: WakeSignal;
  readonly logger: Logger;
  readonly maxBatchSize: number;
  readonly retryBackoff: RetryBackoff;
}

/**
 * One subscriber in a group: a loop that claims a partition with unread messages, hands the batch
 * to the handler, commits on success or schedules a redelivery on failure, and sleeps when there
 * is nothing to do. One batch at a time per member, like a kafkajs consumer.
 */
export class GroupMember implements GroupMemberRef, Subscription {
  readonly topics: readonly string[];
  private stopping = false;
  private loop: Promise<void> | undefined;

  constructor(
    private readonly options: SubscribeOptions,
    private readonly settings: GroupMemberSettings,
  ) {
    this.topics = [...options.topics];
  }

  start(): void {
    this.settings.group.join(this, this.options.fromBeginning ?? true);
    this.loop = this.run();
    this.settings.signal.notify();
  }

  async stop(): Promise<void> {
    this.stopping = true;
    this.settings.signal.notify();
    await this.loop;
    this.settings.group.leave(this);
    this.settings.signal.notify();
  }

  private async run(): Promise<void> {
    const { group, signal } = this.settings;
    while (!this.stopping) {
      const claim = group.claim(this, Date.now());
      if (claim.kind === 'idle') {
        await signal.wait(claim.retryInMs);
        continue;
      }
      await this.deliver(claim.work);
      signal.notify();
    }
  }

  private async deliver(work: PartitionWork): Promise<void> {
    const { group, logger, maxBatchSize, retryBackoff } = this.settings;
    const messages = work.topic.read(work.partition, work.fromOffset, maxBatchSize);
    const batch = { topic: work.topic.name, partition: work.partition, messages };
    try {
      await this.options.handleBatch(batch);
    } catch (error) {
      let delayMs = 0;
      const failures = group.release(work, (attempt) => {
        delayMs = retryDelayMs(retryBackoff, attempt, Math.random());
        return Date.now() + delayMs;
      });
      logger.warn(
        {
          err: error,
          groupId: group.groupId,
          topic: batch.topic,
          partition: batch.partition,
          firstOffset: work.fromOffset,
          batchSize: messages.length,
          failures,
          retryInMs: delayMs,
        },
        'batch handler failed; the batch will be delivered again',
      );
      return;
    }
    group.commit(work, work.fromOffset + messages.length - 1);
  }
}
