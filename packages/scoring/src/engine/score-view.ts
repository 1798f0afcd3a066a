import { z } from 'zod';
import { AsOfBeforeStateError, RulesetMismatchError } from '../errors.js';
import type { CompiledRuleset } from '../ruleset/compile-ruleset.js';
import { type Grade, GradeSchema } from '../ruleset/ruleset.schema.js';
import { valueAt } from './decay.js';
import type { LeadState } from './lead-state.js';

/** A lead's score as of one moment: what the stage decider and the read models consume. */
export const ScoreViewSchema = z.object({
  at: z.number().int(),
  /** Decayed engagement points, before the total's floor and cap. */
  engagement: z.number(),
  fit: z.number(),
  grade: GradeSchema,
  /** engagement + fit, clamped to the ruleset's floor and cap. */
  total: z.number(),
  temperature: z.string(),
  /** Whether the lead has ever communicated both ways (replied, booked a meeting). */
  twoWay: z.boolean(),
});
export type ScoreView = z.infer<typeof ScoreViewSchema>;

export function assertSameRuleset(state: LeadState, ruleset: CompiledRuleset): void {
  if (state.ruleset !== ruleset.key) throw new RulesetMismatchError(state.ruleset, ruleset.key);
}

export function assertReadableAt(state: LeadState, at: number): void {
  if (state.lastAt !== null && at < state.lastAt) throw new AsOfBeforeStateError(at, state.lastAt);
}

export function engagementAt(state: LeadState, at: number, ruleset: CompiledRuleset): number {
  let sum = 0;
  for (let i = 0; i < state.decay.length; i++) {
    sum += valueAt(state.decay[i] ?? null, at, ruleset.halfLives[i]!);
  }
  return sum;
}

export function matchedFitRules(state: LeadState, ruleset: CompiledRuleset) {
  return ruleset.fitRules.filter((rule) => rule.matches(state.traits));
}

export function fitPoints(state: LeadState, ruleset: CompiledRuleset): number {
  return ruleset.fitOf(state.traits);
}

export function gradeOf(fit: number, ruleset: CompiledRuleset): Grade {
  return ruleset.grades.find((band) => fit >= band.minFit)?.grade ?? 'F';
}

export function temperatureIndexOf(total: number, ruleset: CompiledRuleset): number {
  let index = 0;
  ruleset.temperatures.forEach((band, i) => {
    if (total >= band.minTotal) index = i;
  });
  return index;
}

export function clampTotal(unclamped: number, ruleset: CompiledRuleset): number {
  return Math.min(ruleset.cap, Math.max(ruleset.floor, unclamped));
}

/** Unchecked view: callers have verified the ruleset and that `at` is not before the last event. */
export function viewOf(state: LeadState, at: number, ruleset: CompiledRuleset): ScoreView {
  const engagement = engagementAt(state, at, ruleset);
  const fit = fitPoints(state, ruleset);
  const total = clampTotal(engagement + fit, ruleset);
  return {
    at,
    engagement,
    fit,
    grade: gradeOf(fit, ruleset),
    total,
    temperature: ruleset.temperatures[temperatureIndexOf(total, ruleset)]!.name,
    twoWay: state.twoWayAt !== null,
  };
}

/**
 * The score at `at`: exact exponential decay of every accumulator to `at`, plus fit points, then the
 * floor and cap. `at` must not be before the last folded event (fold the events up to `at` instead).
 */
export function scoreAt(state: LeadState, at: number, ruleset: CompiledRuleset): ScoreView {
  assertSameRuleset(state, ruleset);
  assertReadableAt(state, at);
  return viewOf(state, at, ruleset);
}
