import type { LeadState, ScoreView } from '@leadscore/scoring';
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
