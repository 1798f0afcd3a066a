import type { ScoreView, Stage, StageChanged, StageState } from '@leadscore/scoring';
import { initialStageState } from '@leadscore/scoring';
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
  /** The score the last decision looked at. */
  readonly score: ScoreView;
  readonly lastPosition: bigint | null;
  readonly nextCheckAt: number | null;
}

export function stageStateOf(lead: LeadStage | undefined): StageState {
  return lead === undefined ? initialStageState : { stage: lead.stage, since: lead.since };
}

/** The lead's read-model row after a look: its latest stage, the score looked at, the new schedule. */
export function nextLeadStage(
  leadId: string,
  current: LeadStage | undefined,
  observation: Observation,
  changes: readonly StageChanged[],
): LeadStage {
  const last = changes.at(-1);
  const positions = [current?.lastPosition, observation.position].filter(
    (p) => p !== undefined && p !== null,
  );
  return {
    leadId,
    email: observation.email ?? current?.email ?? null,
    stage: last?.to ?? current?.stage ?? initialStageState.stage,
    since: last?.at ?? current?.since ?? null,
    rulesetId: observation.ruleset.source.id,
    rulesetVersion: observation.ruleset.source.version,
    score: observation.view,
    lastPosition: positions.reduce<bigint | null>((max, p) => (max === null || p > max ? p : max), null),
    nextCheckAt:
      observation.nextCheckAt === undefined ? (current?.nextCheckAt ?? null) : observation.nextCheckAt,
  };
}
