import type { ScoreChangedMessage, Topics } from '@leadscore/contracts';
import type { Bus, ConsumedBatch, Subscription } from '@leadscore/kafka';
import type pg from 'pg';
import type { Logger } from 'pino';
import type { ProjectorMetrics } from '../metrics.js';
import type { RulesetCatalog } from '../ruleset-catalog.js';
import { recordStageDecision } from '../stages/record-stage-decision.js';
import { decodeScoreChanged } from './decode-score-changed.js';
import { scoreChangeObservation } from './score-change-observation.js';

export const PROJECTOR_CONSUMER_GROUP = 'leadscore-projector';

export interface ScoreChangedConsumerOptions {
  readonly bus: Bus;
  readonly pool: pg.Pool;
  readonly topics: Pick<Topics, 'scoreChanged'>;
  readonly rulesets: RulesetCatalog;
  readonly logger: Logger;
  readonly metrics: ProjectorMetrics;
  readonly groupId?: string;
  /** Leads of one batch decided side by side (each lead's changes stay in order). */
  readonly leadConcurrency?: number;
}

/**
 * Builds the batch handler: each score change is decided in a transaction of its own (see
 * recordStageDecision), a lead's changes one after another in partition order, different leads
 * side by side. The handler resolves, and the bus commits the offsets, only once every change of
 * the batch is recorded; a failure redelivers the batch, and changes already decided are
 * recognised by their position. An unreadable message is logged and skipped: no decision can be
 * made on it, and holding the partition would stop every other lead on it.
 */
export function createScoreChangedHandler(options: ScoreChangedConsumerOptions) {
  const { logger, metrics } = options;
  const context = { logger, metrics };

  async function decideInOrder(messages: readonly ScoreChangedMessage[]): Promise<void> {
    for (const message of messages) {
      const decision = await recordStageDecision(
        options.pool,
        message.leadId,
        scoreChangeObservation(message, options.rulesets),
        context,
      );
      metrics.scoreChanges.inc({ outcome: decision.lead === undefined ? 'duplicate' : 'decided' });
    }
  }

  return async function handleScoreChangedBatch(batch: ConsumedBatch): Promise<void> {
    const byLead = new Map<string, ScoreChangedMessage[]>();
    for (const consumed of batch.messages) {
      const decoded = decodeScoreChanged(consumed);
      if (!decoded.ok) {
        metrics.scoreChanges.inc({ outcome: 'unreadable' });
        logger.error(
          {
            topic: consumed.topic,
            partition: consumed.partition,
            offset: consumed.offset,
            reason: decoded.reason,
          },
          'score-changed message skipped: it cannot be read',
        );
        continue;
      }
      const messages = byLead.get(decoded.message.leadId) ?? [];
      messages.push(decoded.message);
      byLead.set(decoded.message.leadId, messages);
    }
    try {
      await forEachLimited([...byLead.values()], options.leadConcurrency ?? 4, decideInOrder);
    } catch (error) {
      logger.error(
        {
          err: error,
          topic: batch.topic,
          partition: batch.partition,
          firstOffset: batch.messages[0]?.offset,
        },
        'deciding stages for the batch failed; it will be redelivered',
      );
      throw error;
    }
  };
}

/** Subscribes the projector to score changes; stop() drains the batch in hand. */
export function startScoreChangedConsumer(options: ScoreChangedConsumerOptions): Promise<Subscription> {
  return options.bus.subscribe({
    groupId: options.groupId ?? PROJECTOR_CONSUMER_GROUP,
    topics: [options.topics.scoreChanged],
    fromBeginning: true,
    handleBatch: createScoreChangedHandler(options),
  });
}

/** Runs `work` over the items with at most `limit` in flight; rejects with the first failure once all settled. */
async function forEachLimited<T>(
  items: readonly T[],
  limit: number,
  work: (item: T) => Promise<void>,
): Promise<void> {
  let next = 0;
  const workers = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const item = items[next] as T;
      next += 1;
      await work(item);
    }
  });
  const results = await Promise.allSettled(workers);
  const failed = results.find((result) => result.status === 'rejected');
  if (failed) throw failed.reason;
}
