import { type LeadState, rulesetKey, type ScoreView } from '@leadscore/scoring';
import type { Touch } from './touches.js';

/**
 * What the scoring service keeps per lead (one row of lead_scores): the engine's state, the score
 * as of the lead's latest event, and what makes redeliveries no-ops.
 */
export interface LeadScoreRecord {
  readonly leadId: string;
  readonly email: string | undefined;
  readonly state: LeadState;
  /** The score as of the lead's latest event (state.last.at). */
  readonly view: ScoreView;
  /** Every event of the lead at or below this global position is already in `state`. */
  readonly lastGlobalPosition: bigint;
  readonly lastEventId: string;
  readonly rulesetId: string;
  readonly rulesetVersion: number;
  /** When decay alone next moves the total across a stage threshold or temperature band. */
  readonly nextCrossingAt: number | null;
  readonly firstTouch: Touch | null;
  readonly lastTouch: Touch | null;
}

/**
 * A lead's record as rebuilding the lead reads it before, perhaps without its state: the old score
 * needs the state only when the lead is already under the ruleset it is rebuilt with
 * (previousView). A rescoring job reads a record for every lead, and a page of 1,000 cost node 8 to
 * 10 ms with the states and 4 to 5 without. A LeadScoreRecord is one.
 */
export type PreviousRecord = Omit<LeadScoreRecord, 'state'> & { readonly state: LeadState | undefined };

/**
 * The key of the ruleset a record was scored under: its state's, which its ruleset columns name
 * too (every record is written with the ruleset its state was folded with).
 */
export function scoredUnder(record: PreviousRecord): string {
  return record.state?.ruleset ?? rulesetKey({ id: record.rulesetId, version: record.rulesetVersion });
}
