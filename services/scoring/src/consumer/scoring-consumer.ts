import type { LeadEvent, Topics } from '@leadscore/contracts';
import type { Bus, ConsumedBatch, Subscription } from '@leadscore/kafka';
import type pg from 'pg';
import type { Logger } from 'pino';
import type { ActiveRuleset } from '../engine/active-ruleset.js';
import type { ScoringMetrics } from '../metrics.js';
import { decodeLeadEvent } from './decode-lead-event.js';
import { publishPending } from './publish-pending.js';
import { scoreBatch } from './score-batch.js';

export const SCORING_CONSUMER_GROUP = 'leadscore-scoring';

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
 */
export function createScoringBatchHandler(options: ScoringConsumerOptions) {
  const { logger, metrics } = options;

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
      const pending = await scoreBatch(options, options.ruleset, {
        events,
        leadsToRecompute: [...leadsToRecompute],
      });
      await publishPending(options.bus, options.pool, pending, metrics);
      logger.debug(
        { partition: batch.partition, events: events.length, published: pending.length },
        'scored batch',
      );
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
