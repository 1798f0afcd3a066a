import type { ScoreView, Stage, StageChanged, StageState } from '@leadscore/scoring';
import { afterLook, initialStageState } from '@leadscore/scoring';
import type { Observation } from './observation.js';

/** A lead as the stage read model (table lead_stages) holds it. Times are epoch ms. */
export interface LeadStage {
  readonly leadId: string;
  readonly email: string | null;
  readonly stage: Stage;
  /** When the lead entered its stage; null while it is in the stage it started in. */
  readonly since: number | null;
  readonly rulesetId: string;
  readonly rulesetVersion: number;
  /** The score the last look at the lead saw (the decider's `lastLook`). */
  readonly score: ScoreView;
  readonly lastPosition: bigint | null;
  readonly nextCheckAt: number | null;
}

/** What the decider knows of a lead, read from its row: its stage, since when, and what the last look saw. */
export function stageStateOf(lead: LeadStage | undefined): StageState {
  if (lead === undefined) return initialStageState;
  const { stage, since, score } = lead;
  return { stage, since, lastLook: { total: score.total, grade: score.grade } };
}

/** The lead's read-model row after a look: its latest stage, the score looked at, the new schedule. */
export function nextLeadStage(
  leadId: string,
  current: LeadStage | undefined,
  observation: Observation,
  changes: readonly StageChanged[],
): LeadStage {
  const { stage, since } = afterLook(stageStateOf(current), observation.view, changes);
  const positions = [current?.lastPosition, observation.position].filter(
    (p) => p !== undefined && p !== null,
  );
  return {
    leadId,
    email: observation.email ?? current?.email ?? null,
    stage,
    since,
    rulesetId: observation.ruleset.source.id,
    rulesetVersion: observation.ruleset.source.version,
    score: observation.view,
    lastPosition: positions.reduce<bigint | null>((max, p) => (max === null || p > max ? p : max), null),
    nextCheckAt:
      observation.nextCheckAt === undefined ? (current?.nextCheckAt ?? null) : observation.nextCheckAt,
  };
}
