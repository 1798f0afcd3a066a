import type { ScoreChangedMessage, Topics } from '@leadscore/contracts';
import { type Bus, type ConsumedBatch, coalesceConcurrent, type Subscription } from '@leadscore/kafka';
import type pg from 'pg';
import type { Logger } from 'pino';
import type { ProjectorMetrics } from '../metrics.js';
import type { RulesetCatalog } from '../ruleset-catalog.js';
import type { LeadLooks } from '../stages/decide-leads.js';
import { recordStageDecisions } from '../stages/record-stage-decisions.js';
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
  /** Leads decided per transaction: a consumed batch with more is decided in several, one after another. */
  readonly leadsPerTransaction?: number;
}

/**
 * Most score changes decided in one shared call: the batches of the partitions consumed side by
 * side (PROJECTOR_CONSUMER_SETTINGS) that arrive together are decided together, up to this many.
 */
const maxChangesPerSharedCall = 500;

/**
 * Builds the batch handler: the score changes of the batches handed over together (one fetch,
 * several partitions) are grouped by lead, each lead's in partition order (a lead's changes all
 * sit on one partition), and decided in one transaction per `leadsPerTransaction` leads (see
 * recordStageDecisions), a handful of statements each instead of a transaction per change or per
 * partition. A batch resolves, and the bus commits its offsets, only once every change of it is
 * recorded; a failure redelivers it (a shared call that fails is retried batch by batch, so only
 * a batch that cannot succeed is redelivered), and changes already decided are recognised by
 * their position. An unreadable message is logged and skipped: no decision can be made on it,
 * and holding the partition would stop every other lead on it.
 */
export function createScoreChangedHandler(options: ScoreChangedConsumerOptions) {
  const { logger, metrics } = options;
  const context = { logger, metrics };
  const leadsPerTransaction = options.leadsPerTransaction ?? 250;

  async function decide(messagesByLead: ReadonlyMap<string, readonly ScoreChangedMessage[]>): Promise<void> {
    const leads: LeadLooks[] = [...messagesByLead].map(([leadId, messages]) => ({
      leadId,
      looks: messages.map((message) => scoreChangeObservation(message, options.rulesets)),
    }));
    for (let first = 0; first < leads.length; first += leadsPerTransaction) {
      const decisions = await recordStageDecisions(
        options.pool,
        leads.slice(first, first + leadsPerTransaction),
        context,
      );
      const looks = decisions.flatMap(({ decided }) => decided);
      const decidedCount = looks.filter(Boolean).length;
      metrics.scoreChanges.inc({ outcome: 'decided' }, decidedCount);
      metrics.scoreChanges.inc({ outcome: 'duplicate' }, looks.length - decidedCount);
    }
  }

  function groupReadableByLead(batch: ConsumedBatch, byLead: Map<string, ScoreChangedMessage[]>): void {
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
  }

  async function decideBatches(batches: readonly ConsumedBatch[]): Promise<void> {
    const byLead = new Map<string, ScoreChangedMessage[]>();
    for (const batch of batches) groupReadableByLead(batch, byLead);
    try {
      await decide(byLead);
    } catch (error) {
      logger.error(
        {
          err: error,
          batches: batches.map(({ topic, partition, messages }) => ({
            topic,
            partition,
            firstOffset: messages[0]?.offset,
          })),
        },
        'deciding stages for the batch failed; it will be redelivered',
      );
      throw error;
    }
  }

  return coalesceConcurrent<ConsumedBatch>(
    decideBatches,
    (batch) => batch.messages.length,
    maxChangesPerSharedCall,
  );
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
