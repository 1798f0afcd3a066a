import { manualMoveSources, type Stage, StageSchema } from '@leadscore/scoring';

/** What sales can do to a lead by hand, and the stage each action moves it to. */
export const STAGE_ACTIONS = {
  disqualify: 'disqualified',
  recycle: 'recycled',
  accept: 'sql',
} as const satisfies Record<string, Stage>;

export type StageAction = keyof typeof STAGE_ACTIONS;

/** What each action means to the people using it, and what follows from it. */
const MEANING: Record<StageAction, { readonly gloss: string; readonly afterwards?: string }> = {
  disqualify: {
    gloss: 'not a fit',
    afterwards: 'A disqualified lead stays there, whatever it does, until a person moves it again.',
  },
  recycle: {
    gloss: 'back to nurture',
    afterwards:
      'A recycled lead goes back to mql only when its score crosses the MQL threshold upwards after the ' +
      'recycle: one recycled while at or above the threshold must first fall below it (decay, negative ' +
      'points) and then reach it again; one recycled below it goes back on reaching it.',
  },
  accept: { gloss: 'sales accepted the lead' },
};

const list = (stages: readonly Stage[]) =>
  stages.length === 1 ? stages[0] : `${stages.slice(0, -1).join(', ')} or ${stages.at(-1)}`;

/**
 * The actions as the route's description lists them: the stages each one moves a lead from, and
 * those where it changes nothing. Built from the decider's own rules (manualMoveSources), so the
 * documentation says what the service does.
 */
export function stageActionsDescription(): string {
  const actions = Object.entries(STAGE_ACTIONS).map(([action, to]) => {
    const from = manualMoveSources[to];
    const unchanged = StageSchema.options.filter((stage) => !from.includes(stage));
    const { gloss, afterwards } = MEANING[action as StageAction];
    const moves = `to ${to}, from ${list(from)}; on a lead at ${list(unchanged)} it changes nothing.`;
    return `- \`${action}\` (${gloss}): ${moves}${afterwards === undefined ? '' : ` ${afterwards}`}`;
  });
  return [
    ...actions,
    '',
    'Moves by hand never take a lead back down the funnel (lead < mql < sql < prospect): accepting a ' +
      'prospect leaves it a prospect. A move that changes nothing records nothing and answers 200 with ' +
      '`changed: false` and the stage the lead is in, as a repeated call does.',
  ].join('\n');
}
