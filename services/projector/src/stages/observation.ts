import type { CompiledRuleset, ScoreView, StageSignal } from '@leadscore/scoring';

/**
 * What one look at a lead concluded, before the decider runs: the score to decide on, what asked
 * for the look, and what to remember for the next one. Built by the score-changed consumer, the
 * decay check and manual changes; recorded by decideLeads.
 */
export interface Observation {
  /** The ruleset the score was computed with: its stage policy decides. */
  readonly ruleset: CompiledRuleset;
  readonly view: ScoreView;
  readonly signal: StageSignal;
  readonly email: string | undefined;
  /** Who moved the lead, for manual changes. */
  readonly actor?: string;
  /**
   * For manual changes: the version of the lead's stream the move was decided on. Part of the
   * change's id, so that a person making the same move twice (at the same instant, which is
   * never before the previous change's) records two changes, not one id twice.
   */
  readonly streamVersion?: number;
  /** Global position of the score change looked at, so a redelivery of it is recognised. */
  readonly position?: bigint;
  /** When decay will next carry the score across a threshold (null: never); undefined keeps the schedule. */
  readonly nextCheckAt?: number | null;
}
