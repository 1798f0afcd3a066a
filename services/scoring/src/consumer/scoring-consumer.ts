import type { LeadEvent, Topics } from '@leadscore/contracts';
import { type Bus, type ConsumedBatch, coalesceConcurrent, type Subscription } from '@leadscore/kafka';
import type pg from 'pg';
import type { Logger } from 'pino';
import type { ActiveRuleset } from '../engine/active-ruleset.js';
import type { ScoringMetrics } from '../metrics.js';
import { decodeLeadEvent } from './decode-lead-event.js';
import { publishPending } from './publish-pending.js';
import { type ScoreBatchInput, scoreBatch } from './score-batch.js';

export const SCORING_CONSUMER_GROUP = 'leadscore-scoring';

/**
 * Batches handed over together share a transaction up to this many events: about what one
 * publish request carries (publish-pending.ts), so live-tail batches merge while a backlog's big
 * batches keep their own transactions and publishes side by side.
 */
const EVENTS_PER_SHARED_TRANSACTION = 500;

export interface ScoringConsumerOptions {
  readonly bus: Bus;
  readonly pool: pg.Pool;
  readonly topics: Pick<Topics, 'leadEvents' | 'scoreChanged' | 'alerts'>;
  readonly ruleset: ActiveRuleset;
  readonly logger: Logger;
  readonly metrics: ScoringMetrics;
  /** Wall clock, for computedAt and lag only: scores depend on event times alone. */
  readonly now: () => number;
  /**
   * Deployments sharing a cluster (told apart by the topic prefix) must not share a consumer
   * group either: the default group is the prefix + SCORING_CONSUMER_GROUP.
   */
  readonly groupId?: string;
  readonly topicPrefix?: string;
}

/**
 * The batch handler: score in one transaction, then publish. It resolves only after the bus
 * acknowledged the batch's messages, so the offsets are committed only then; any failure throws
 * and the bus redelivers the batch, whose events are already applied (a no-op by position) while
 * the messages still in the outbox go out.
 *
 * Batches of other partitions handed over at the same time share the transaction and the publish
 * (coalesceConcurrent): a lead's events all sit on one partition, so concatenating the batches
 * keeps every lead's order, and each batch still resolves only once its events are stored and
 * published. A shared attempt that fails is retried batch by batch, so only the batch that cannot
 * succeed is redelivered.
 */
export function createScoringBatchHandler(options: ScoringConsumerOptions) {
  const { logger, metrics } = options;
  const scoreAndPublish = coalesceConcurrent<ScoreBatchInput>(
    async (inputs) => {
      const pending = await scoreBatch(options, options.ruleset, {
        events: inputs.flatMap((input) => input.events),
        leadsToRecompute: [...new Set(inputs.flatMap((input) => input.leadsToRecompute))],
      });
      await publishPending(options.bus, options.pool, pending, metrics);
    },
    (input) => input.events.length + input.leadsToRecompute.length,
    EVENTS_PER_SHARED_TRANSACTION,
  );

  return async function handleLeadEventsBatch(batch: ConsumedBatch): Promise<void> {
    const events: LeadEvent[] = [];
    const leadsToRecompute = new Set<string>();
    for (const message of batch.messages) {
      const decoded = decodeLeadEvent(message);
      if (decoded.ok) {
        events.push(decoded.event);
        continue;
      }
      metrics.undecodable.inc();
      logger.error(
        {
          topic: message.topic,
          partition: message.partition,
          offset: message.offset,
          leadId: decoded.leadId,
          reason: decoded.reason,
        },
        decoded.leadId === undefined
          ? 'unreadable lead event without a lead key skipped'
          : 'unreadable lead event: its lead is recomputed from the store',
      );
      if (decoded.leadId !== undefined) leadsToRecompute.add(decoded.leadId);
    }

    const stopTimer = metrics.batchSeconds.startTimer();
    try {
      await scoreAndPublish({ events, leadsToRecompute: [...leadsToRecompute] });
      logger.debug({ partition: batch.partition, events: events.length }, 'scored batch');
    } catch (error) {
      metrics.batchFailures.inc();
      logger.error(
        {
          err: error,
          topic: batch.topic,
          partition: batch.partition,
          firstOffset: batch.messages[0]?.offset,
        },
        'scoring the batch failed; it will be redelivered',
      );
      throw error;
    } finally {
      stopTimer();
    }

    const newest = batch.messages.at(-1);
    if (newest) {
      metrics.consumerLagSeconds.set(
        { partition: String(batch.partition) },
        Math.max(0, options.now() - newest.timestamp) / 1000,
      );
    }
  };
}

/** Subscribes the scorer to the lead-events topic; stop() drains the batch in hand. */
export function startScoringConsumer(options: ScoringConsumerOptions): Promise<Subscription> {
  return options.bus.subscribe({
    groupId: options.groupId ?? `${options.topicPrefix ?? ''}${SCORING_CONSUMER_GROUP}`,
    topics: [options.topics.leadEvents],
    fromBeginning: true,
    handleBatch: createScoringBatchHandler(options),
  });
}
