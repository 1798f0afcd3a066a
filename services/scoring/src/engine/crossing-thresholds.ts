import { type CompiledRuleset, stageThresholds } from '@leadscore/scoring';

/**
 * Totals at which a lead's published facts change without a new event: the stage thresholds
 * (the projector decides on them) and the temperature bands (the temperature is published).
 */
export function crossingThresholds(ruleset: CompiledRuleset): number[] {
  const bands = ruleset.temperatures.map((band) => band.minTotal).filter(Number.isFinite);
  return [...new Set([...stageThresholds(ruleset.stages), ...bands])].sort((a, b) => a - b);
}
