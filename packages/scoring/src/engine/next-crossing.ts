import type { CompiledRuleset } from '../ruleset/compile-ruleset.js';
import { valueAt } from './decay.js';
import { type ExponentialSum, turningPoints } from './exponential-sum.js';
import type { LeadState } from './lead-state.js';
import { assertReadableAt, assertSameRuleset, clampTotal, engagementAt, fitPoints } from './score-view.js';

export type Crossing = {
  /** First epoch millisecond at which the total is on the other side of the threshold. */
  at: number;
  threshold: number;
  /** down: from >= threshold to below it; up: from below to >= (negative points fading away). */
  direction: 'down' | 'up';
};

// Beyond ~1075 half-lives every decayed value has underflowed to exactly 0: nothing changes after.
const UNDERFLOW_HALF_LIVES = 1100;

/**
 * The earliest moment after `now` (epoch ms) at which decay alone moves the total across one of the
 * thresholds (a total >= threshold counts as reaching it), or null if it never does. Exact to the
 * millisecond: the total at `at - 1` is still on the starting side, at `at` it is on the other.
 * Used to schedule one stage check per lead instead of sweeping all leads.
 */
export function nextCrossing(
  state: LeadState,
  thresholds: readonly number[],
  now: number,
  ruleset: CompiledRuleset,
): Crossing | null {
  assertSameRuleset(state, ruleset);
  assertReadableAt(state, now);
  const start = Math.floor(now);
  const fit = fitPoints(state, ruleset);
  const totalAt = (t: number) => clampTotal(engagementAt(state, t, ruleset) + fit, ruleset);

  // The total only turns where the engagement sum turns; between turning points each threshold is
  // crossed at most once, so checking the end of each stretch tells whether to search inside it.
  const sum = engagementSince(state, start, ruleset);
  const stretchEnds = turningPoints(sum).map((s) => start + Math.ceil(s));
  const longestHalfLife = Math.max(0, ...ruleset.halfLives);
  const horizon = Math.min(Number.MAX_SAFE_INTEGER, start + UNDERFLOW_HALF_LIVES * longestHalfLife);

  let earliest: Crossing | null = null;
  for (const threshold of thresholds) {
    const above = totalAt(start) >= threshold;
    const crossed = (t: number) => totalAt(t) >= threshold !== above;
    const at = firstCrossing(crossed, start, stretchEnds, horizon);
    if (at !== undefined && (earliest === null || at < earliest.at)) {
      earliest = { at, threshold, direction: above ? 'down' : 'up' };
    }
  }
  return earliest;
}

function engagementSince(state: LeadState, start: number, ruleset: CompiledRuleset): ExponentialSum {
  const terms = ruleset.halfLives.map((halfLifeMs, i) => ({
    coef: valueAt(state.decay[i] ?? null, start, halfLifeMs),
    rate: 1 / halfLifeMs,
  }));
  return { constant: 0, terms };
}

function firstCrossing(
  crossed: (t: number) => boolean,
  start: number,
  stretchEnds: readonly number[],
  horizon: number,
): number | undefined {
  let from = start;
  for (const to of [...stretchEnds.filter((t) => t > start && t < horizon), horizon]) {
    if (crossed(to)) return bisect(crossed, from, to);
    from = to;
  }
  return undefined;
}

// Smallest t in (from, to] with crossed(t), given crossed(from) is false and crossed(to) is true.
function bisect(crossed: (t: number) => boolean, from: number, to: number): number {
  let lo = from;
  let hi = to;
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    if (crossed(mid)) hi = mid;
    else lo = mid;
  }
  return hi;
}
