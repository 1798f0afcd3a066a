import type { Stage } from './stage.schema.js';

/**
 * The stages a person may move a lead out of, for each stage they may move it to. A move by hand
 * goes forward in the funnel (lead < mql < sql < prospect), into a side stage, or out of one; never
 * back down the funnel, where accepting a prospect would demote it to sql and let its next event
 * promote it again as if it were a new two-way signal. Recycling (back to nurture) is for a lead
 * that got somewhere or was disqualified: a lead still at `lead` is being nurtured already. A move
 * not listed changes nothing, like a move to the stage the lead is in.
 */
export const manualMoveSources: Readonly<Record<Stage, readonly Stage[]>> = {
  lead: ['recycled', 'disqualified'],
  mql: ['lead', 'recycled', 'disqualified'],
  sql: ['lead', 'mql', 'recycled', 'disqualified'],
  prospect: ['lead', 'mql', 'sql', 'recycled', 'disqualified'],
  disqualified: ['lead', 'mql', 'sql', 'prospect', 'recycled'],
  recycled: ['mql', 'sql', 'prospect', 'disqualified'],
};

/** Whether a person moving a lead from `from` to `to` changes its stage (see manualMoveSources). */
export function movesByHand(from: Stage, to: Stage): boolean {
  return manualMoveSources[to].includes(from);
}
