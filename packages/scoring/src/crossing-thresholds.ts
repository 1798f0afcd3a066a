import type { CompiledRuleset } from './ruleset/compile-ruleset.js';
import { stageThresholds } from './stages/decide.js';

// Per compiled ruleset: every lead scored or rescored asks for them, and they never change.
const thresholdsOf = new WeakMap<CompiledRuleset, readonly number[]>();

/**
 * Totals at which a lead's published facts change without a new event: the stage thresholds
 * (the projector decides on them) and the temperature bands (the temperature is published). The
 * scoring service schedules each lead's next crossing on them, the projector its decay checks,
 * and the API answers a lead's next crossing after now.
 */
export function crossingThresholds(ruleset: CompiledRuleset): readonly number[] {
  let thresholds = thresholdsOf.get(ruleset);
  if (thresholds === undefined) {
    const bands = ruleset.temperatures.map((band) => band.minTotal).filter(Number.isFinite);
    thresholds = Object.freeze(
      [...new Set([...stageThresholds(ruleset.stages), ...bands])].sort((a, b) => a - b),
    );
    thresholdsOf.set(ruleset, thresholds);
  }
  return thresholds;
}
