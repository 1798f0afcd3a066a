import type { StageChangedMessage } from '@leadscore/contracts';
import type { Queryable } from '@leadscore/eventstore';
import type { Observe } from './decide-leads.js';
import type { LeadStage } from './lead-stage.js';
import { recordStageDecisions, type StageDecisionContext } from './record-stage-decisions.js';

export interface StageDecision {
  /** The changes appended by this call, in order; empty when the lead stayed where it was. */
  readonly changes: readonly StageChangedMessage[];
  /** The lead's row after the decision; undefined when observe had nothing to decide. */
  readonly lead: LeadStage | undefined;
}

/**
 * One look at one lead, recorded atomically (see recordStageDecisions): what decay checks and
 * manual changes take. A conflict with a concurrent writer is retried on a fresh read.
 */
export async function recordStageDecision(
  db: Queryable,
  leadId: string,
  observe: Observe,
  context: StageDecisionContext,
): Promise<StageDecision> {
  const [decision] = await recordStageDecisions(db, [{ leadId, looks: [observe] }], context);
  return { changes: decision?.changes ?? [], lead: decision?.lead };
}
