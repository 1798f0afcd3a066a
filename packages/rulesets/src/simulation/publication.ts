import { type CompiledRuleset, type Stage, scoreAt } from '@leadscore/scoring';
import { type LeadTrajectory, sameFacts } from './lead-trajectory.js';
import { StageTrack } from './stage-track.js';

/** Where a lead stands after publishing a candidate, given its replays under baseline and candidate. */
export type StageAfterPublishing = (baseline: LeadTrajectory, candidate: LeadTrajectory) => Stage;

/**
 * The stage publishing `candidate` at `asOf` leaves each lead in, given where it stands under
 * `baseline` (its replay): what the rescoring job and the projector do, pure. The job rebuilds the
 * lead's score under the candidate as of its latest event and announces it when it differs from
 * the baseline's or the stage policy (stages, temperatures) differs; the projector looks at the
 * lead once, as of the publication (asOf), on its score decayed to then, from its stage, since
 * and last score seen, with `rescored` as the signal. So a forward-only candidate moves no lead
 * down, demotion moves leads to recycled (never back to lead), disqualified leads stay, and no lead
 * moves on a score it had long before the publication.
 */
export function publicationOf(
  baseline: CompiledRuleset,
  candidate: CompiledRuleset,
  asOf: number,
): StageAfterPublishing {
  const policyOf = (ruleset: CompiledRuleset) =>
    JSON.stringify([ruleset.source.stages, ruleset.source.temperatures]);
  const policyChanged = policyOf(baseline) !== policyOf(candidate);
  return (before, after) => {
    const latest = after.scoring.lastAt;
    if (latest === null) return before.stage;
    const rescored = scoreAt(after.scoring, latest, candidate);
    if (!policyChanged && sameFacts(scoreAt(before.scoring, latest, baseline), rescored)) return before.stage;
    // History reaches asOf at the most, so the publication comes after the lead's events and stages.
    const track = new StageTrack(candidate, before.stageState);
    track.lookAtScore(
      scoreAt(after.scoring, asOf, candidate),
      { kind: 'rescored', at: asOf, ruleset: candidate.key },
      asOf,
    );
    return track.state.stage;
  };
}
