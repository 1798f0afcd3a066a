import type { LeadEvent, Topics } from '@leadscore/contracts';
import { atomicallyOpenedWith } from '@leadscore/eventstore';
import type pg from 'pg';
import type { Logger } from 'pino';
import type { ActiveRuleset } from '../engine/active-ruleset.js';
import { leadActivityOf } from '../engine/lead-activity.js';
import type { LeadScoreRecord } from '../engine/lead-record.js';
import { type Publication, publicationsOf } from '../engine/publications.js';
import { recomputeLead } from '../engine/recompute-lead.js';
import type { LeadScoreChange } from '../engine/score-change.js';
import { scoreEvent } from '../engine/score-event.js';
import type { ScoringMetrics } from '../metrics.js';
import { batchOpening, batchReads } from '../store/batch-opening.js';
import { readLeadEvents } from '../store/read-lead-events.js';
import type { PendingPublication } from '../store/scoring-outbox.js';
import { storeScoredBatch } from '../store/store-scored-batch.js';

export interface ScoreBatchContext {
  readonly pool: pg.Pool;
  readonly topics: Pick<Topics, 'scoreChanged' | 'alerts'>;
  readonly logger: Logger;
  readonly metrics: ScoringMetrics;
  readonly now: () => number;
}

export interface ScoreBatchInput {
  /** Decoded events in consumption order. */
  readonly events: readonly LeadEvent[];
  /** Leads whose message could not be read: recomputed from their stream instead. */
  readonly leadsToRecompute: readonly string[];
}

export type RecomputeReason = 'late' | 'ruleset-changed' | 'unreadable-message';

/**
 * Scores one batch in ONE transaction: loads the states of its leads, folds each event (skipping
 * those already applied), recomputes leads from their stream where the engine asks, then writes
 * all records and stores the resulting messages in the outbox in one statement. Returns what must
 * be published now: messages left behind for these leads by an earlier attempt, then the new ones.
 */
export async function scoreBatch(
  context: ScoreBatchContext,
  activeRuleset: ActiveRuleset,
  input: ScoreBatchInput,
): Promise<PendingPublication[]> {
  const { metrics, logger } = context;
  const leadIds = [...new Set([...input.events.map((event) => event.leadId), ...input.leadsToRecompute])];

  const opening = batchOpening(activeRuleset.opening, leadIds);
  return atomicallyOpenedWith(context.pool, 'score batch', opening, async (client, opened) => {
    const ruleset = await activeRuleset.current(client, opened);
    const { leftovers, records } = batchReads(opened);
    const changed = new Map<string, LeadScoreRecord>();
    const publications: Publication[] = [];
    const keep = (record: LeadScoreRecord, change: LeadScoreChange | undefined) => {
      records.set(record.leadId, record);
      changed.set(record.leadId, record);
      if (change) publications.push(...publicationsOf(change, context.topics, context.now()));
    };
    const recompute = async (leadId: string, trigger: LeadEvent | undefined, reason: RecomputeReason) => {
      metrics.recomputes.inc({ reason });
      logger.info({ leadId, eventId: trigger?.eventId, reason }, 'recomputing lead from its stream');
      const stream = await readLeadEvents(client, leadId);
      const result = recomputeLead(
        records.get(leadId),
        stream,
        trigger === undefined ? undefined : leadActivityOf(trigger),
        ruleset,
      );
      if (result) keep(result.record, result.change);
    };

    for (const event of input.events) {
      const outcome = scoreEvent(records.get(event.leadId), event, ruleset);
      if (outcome.kind === 'already-applied') {
        metrics.eventsScored.inc({ outcome: 'already-applied' });
      } else if (outcome.kind === 'recompute') {
        metrics.eventsScored.inc({ outcome: 'recomputed' });
        await recompute(event.leadId, event, outcome.reason);
      } else {
        metrics.eventsScored.inc({ outcome: 'applied' });
        keep(outcome.record, outcome.change);
      }
    }
    for (const leadId of input.leadsToRecompute) await recompute(leadId, undefined, 'unreadable-message');

    const stored = await storeScoredBatch(client, [...changed.values()], publications);
    return [...leftovers, ...stored];
  });
}
