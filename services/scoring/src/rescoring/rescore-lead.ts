import type { Topics } from '@leadscore/contracts';
import type { CompiledRuleset } from '@leadscore/scoring';
import type { LeadActivity } from '../engine/lead-activity.js';
import type { LeadScoreRecord, PreviousRecord } from '../engine/lead-record.js';
import { type Publication, publicationsOf } from '../engine/publications.js';
import { recomputeLead } from '../engine/recompute-lead.js';
import { type LeadScoreChange, triggerOf } from '../engine/score-change.js';

export interface RescoredLead {
  readonly record: LeadScoreRecord;
  readonly publications: readonly Publication[];
}

export interface RescoreContext {
  readonly jobId: string;
  readonly topics: Pick<Topics, 'scoreChanged' | 'alerts'>;
  /** Wall clock (epoch ms): the messages' computedAt, which dates the stage changes they cause. */
  readonly computedAt: number;
  /**
   * Whether the stage policy under which the lead was last decided differs from the new one: then
   * its stage may move although its numbers did not, and the projector must look at it again.
   */
  readonly policyChanged: (previous: PreviousRecord) => boolean;
}

/**
 * A lead's record rebuilt under the job's ruleset from all its events (the canonical fold), and
 * the score-changed message announcing it, marked as a rescore so the projector records the stage
 * changes it causes with reason `rescored`. Pure. No alerts: they are real-time signals for new
 * activity, and rescoring is not activity.
 */
export function rescoreLead(
  previous: PreviousRecord,
  events: readonly LeadActivity[],
  ruleset: CompiledRuleset,
  context: RescoreContext,
): RescoredLead | undefined {
  const result = recomputeLead(previous, events, undefined, ruleset);
  if (result === undefined) return undefined;
  const change = result.change ?? policyOnlyChange(previous, result.record, events, context);
  if (change === undefined) return { record: result.record, publications: [] };
  const changes = withRulesetChange(change, previous, context);
  const publications = publicationsOf(
    changes === change.changes ? change : { ...change, changes },
    context.topics,
    context.computedAt,
    { jobId: context.jobId },
  );
  return { record: result.record, publications };
}

function withRulesetChange(
  change: LeadScoreChange,
  previous: PreviousRecord,
  context: RescoreContext,
): LeadScoreChange['changes'] {
  if (!context.policyChanged(previous) || change.changes.includes('ruleset')) return change.changes;
  return [...change.changes, 'ruleset'];
}

function policyOnlyChange(
  previous: PreviousRecord,
  record: LeadScoreRecord,
  events: readonly LeadActivity[],
  context: RescoreContext,
): LeadScoreChange | undefined {
  if (!context.policyChanged(previous)) return undefined;
  const latest = events.find((event) => event.eventId === record.lastEventId);
  if (latest === undefined) return undefined;
  return {
    record,
    trigger: triggerOf(latest),
    old: previous.view,
    changes: ['ruleset'],
    recomputed: true,
    alerts: [],
  };
}
