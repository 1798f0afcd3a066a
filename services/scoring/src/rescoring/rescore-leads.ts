import type { Queryable } from '@leadscore/eventstore';
import { type PreviousRecord, scoredUnder } from '../engine/lead-record.js';
import { forEachLeadActivities } from './read-leads-activities.js';
import { type RescoredLead, rescoreLead } from './rescore-lead.js';
import type { RescorePlan } from './rescore-plan.js';

/** What a job does with one lead of its batch. */
export type LeadRescore =
  /** Already under the job's version (the live scorer moved it first): left alone. */
  | { readonly kind: 'current' }
  /** Replayed from the store; `rescored` is undefined for a lead without events. */
  | {
      readonly kind: 'replayed';
      readonly eventsReplayed: number;
      readonly rescored: RescoredLead | undefined;
    };

const current: LeadRescore = { kind: 'current' };

/**
 * Rebuilds the leads still under an older version (every lead, for a rebuild) from all their
 * stored events, in one read. Writes nothing.
 */
export async function rescoreLeads(
  db: Queryable,
  records: readonly PreviousRecord[],
  plan: RescorePlan,
): Promise<Map<string, LeadRescore>> {
  const outcomes = new Map<string, LeadRescore>(records.map((record) => [record.leadId, current]));
  const staleByLead = new Map(
    records
      .filter((record) => plan.job.rebuild || scoredUnder(record) !== plan.ruleset.key)
      .map((record) => [record.leadId, record]),
  );
  // Each lead folded as its events arrive, so that they die young (forEachLeadActivities).
  await forEachLeadActivities(db, [...staleByLead.keys()], (leadId, events) => {
    const previous = staleByLead.get(leadId)!;
    outcomes.set(leadId, {
      kind: 'replayed',
      eventsReplayed: events.length,
      rescored: rescoreLead(previous, events, plan.ruleset, plan.lead),
    });
  });
  return outcomes;
}
