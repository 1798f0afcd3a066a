import type { ScoreChangedMessage, Topics } from '@leadscore/contracts';
import {
  type Bus,
  type ConsumedBatch,
  type ConsumedMessage,
  coalesceConcurrent,
  type Subscription,
} from '@leadscore/kafka';
import type pg from 'pg';
import type { Logger } from 'pino';
import type { ProjectorMetrics } from '../metrics.js';
import type { RulesetCatalog } from '../ruleset-catalog.js';
import type { LeadLooks } from '../stages/decide-leads.js';
import { recordStageDecisions } from '../stages/record-stage-decisions.js';
import { decodeScoreChanged } from './decode-score-changed.js';
import { prefetchRescoredStreams, scoreChangeObservation } from './score-change-observation.js';
import { createUnknownRulesetPatience, rulesetKey } from './unknown-ruleset-patience.js';

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
  /** See UNKNOWN_RULESET_PATIENCE_MS (the default). */
  readonly unknownRulesetPatienceMs?: number;
}

/**
 * Most score changes decided in one shared call: the batches of the partitions consumed side by
 * side (PROJECTOR_CONSUMER_SETTINGS) that arrive together are decided together, up to this many.
 */
const maxChangesPerSharedCall = 500;

/** A readable score change and where it was read, for the logs. */
interface ReadChange {
  readonly consumed: ConsumedMessage;
  readonly change: ScoreChangedMessage;
}

/**
 * Builds the batch handler: the score changes of the batches handed over together (one fetch,
 * several partitions) are grouped by lead, each lead's in partition order (a lead's changes all
 * sit on one partition), and decided in one transaction per `leadsPerTransaction` leads (see
 * recordStageDecisions), a handful of statements each instead of a transaction per change or per
 * partition. A batch resolves, and the bus commits its offsets, only once every change of it is
 * recorded; a failure is counted and redelivers it (a shared call that fails is retried batch by
 * batch, so only a batch that cannot succeed is redelivered), and changes already decided are
 * recognised by their position. A message no decision can ever be made on is logged and skipped,
 * because holding the partition would stop every other lead on it: an unreadable one at once, one
 * naming a ruleset version the store does not hold once it stayed unknown past the patience
 * (unknown-ruleset-patience.ts).
 */
export function createScoreChangedHandler(options: ScoreChangedConsumerOptions) {
  const { logger, metrics } = options;
  const context = { logger, metrics };
  const leadsPerTransaction = options.leadsPerTransaction ?? 250;
  const unknownRulesets = createUnknownRulesetPatience({
    rulesets: options.rulesets,
    patienceMs: options.unknownRulesetPatienceMs,
  });

  async function decide(changes: readonly ScoreChangedMessage[]): Promise<void> {
    const byLead = [...groupByLead(changes)];
    for (let first = 0; first < byLead.length; first += leadsPerTransaction) {
      const chunk = byLead.slice(first, first + leadsPerTransaction);
      const streams = await prefetchRescoredStreams(
        options.pool,
        chunk.flatMap(([, messages]) => messages),
      );
      const leads: LeadLooks[] = chunk.map(([leadId, messages]) => ({
        leadId,
        looks: messages.map((message) =>
          scoreChangeObservation(message, options.rulesets, streams.get(leadId)),
        ),
      }));
      const decisions = await recordStageDecisions(options.pool, leads, context);
      const looks = decisions.flatMap(({ decided }) => decided);
      const decidedCount = looks.filter(Boolean).length;
      metrics.scoreChanges.inc({ outcome: 'decided' }, decidedCount);
      metrics.scoreChanges.inc({ outcome: 'duplicate' }, looks.length - decidedCount);
    }
  }

  const decideTogether = coalesceConcurrent<readonly ScoreChangedMessage[]>(
    (lists) => decide(lists.flat()),
    (changes) => changes.length,
    maxChangesPerSharedCall,
  );

  function readChanges(batch: ConsumedBatch): ReadChange[] {
    const read: ReadChange[] = [];
    for (const consumed of batch.messages) {
      const decoded = decodeScoreChanged(consumed);
      if (decoded.ok) {
        read.push({ consumed, change: decoded.message });
        continue;
      }
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
    }
    return read;
  }

  function reportSkipped(skipped: readonly ReadChange[]): void {
    for (const { consumed, change } of skipped) {
      metrics.scoreChanges.inc({ outcome: 'unknown-ruleset' });
      logger.error(
        {
          topic: consumed.topic,
          partition: consumed.partition,
          offset: consumed.offset,
          leadId: change.leadId,
          eventId: change.eventId,
          ruleset: rulesetKey(change),
          unknownForMs: Math.round(unknownRulesets.unknownForMs(change)),
        },
        'score-changed message skipped: its ruleset version is not in the store; the lead is decided again at its next score change',
      );
    }
  }

  return async function handleScoreChangedBatch(batch: ConsumedBatch): Promise<void> {
    const read = readChanges(batch);
    try {
      const skip = await unknownRulesets.rulesetsToSkip(read.map(({ change }) => change));
      const skipped = read.filter(({ change }) => skip.has(rulesetKey(change)));
      const decidable = read.filter(({ change }) => !skip.has(rulesetKey(change)));
      await decideTogether(decidable.map(({ change }) => change));
      // Reported once the batch went through: a batch failing for another reason says nothing yet.
      reportSkipped(skipped);
    } catch (error) {
      metrics.batchFailures.inc();
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

/** The changes by lead, each lead's in the order given (partition order). */
function groupByLead(changes: readonly ScoreChangedMessage[]): Map<string, ScoreChangedMessage[]> {
  const byLead = new Map<string, ScoreChangedMessage[]>();
  for (const change of changes) {
    const messages = byLead.get(change.leadId);
    if (messages === undefined) byLead.set(change.leadId, [change]);
    else messages.push(change);
  }
  return byLead;
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
