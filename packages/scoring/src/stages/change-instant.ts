import type { StageState } from './stage.schema.js';

/**
 * The instant a stage change decided for `decidedAt` is dated: never before the lead entered its
 * current stage. A look can be about an earlier instant than the previous change (an event a tool
 * delivered late, after a person moved the lead on the wall clock); dating its change at its own
 * instant would put the lead in its new stage before it left the previous one, and list the history
 * out of order. Dated at the previous change instead, the stages stay in sequence.
 */
export function changeInstant(state: StageState, decidedAt: number): number {
  return state.since === null ? decidedAt : Math.max(decidedAt, state.since);
}
