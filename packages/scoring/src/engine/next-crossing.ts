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
  const curve = new TotalCurve(state, fitPoints(state, ruleset), ruleset);

  // The total only turns where the engagement sum turns; between turning points each threshold is
  // crossed at most once, so checking the end of each stretch tells whether to search inside it.
  const sum = engagementSince(state, start, ruleset);
  const longestHalfLife = Math.max(0, ...ruleset.halfLives);
  const horizon = Math.min(Number.MAX_SAFE_INTEGER, start + UNDERFLOW_HALF_LIVES * longestHalfLife);
  const stretchEnds = turningPoints(sum)
    .map((s) => start + Math.ceil(s))
    .filter((t) => t > start && t < horizon);
  stretchEnds.push(horizon);

  const startTotal = curve.totalAt(start);
  let earliest: Crossing | null = null;
  for (const threshold of thresholds) {
    const above = startTotal >= threshold;
    const at = firstCrossing(curve, threshold, above, start, stretchEnds);
    if (at !== undefined && (earliest === null || at < earliest.at)) {
      earliest = { at, threshold, direction: above ? 'down' : 'up' };
    }
  }
  return earliest;
}

/** A lead's total as decay alone moves it, exactly as scoreAt computes it. */
class TotalCurve {
  constructor(
    private readonly state: LeadState,
    private readonly fit: number,
    private readonly ruleset: CompiledRuleset,
  ) {}

  totalAt(t: number): number {
    return clampTotal(engagementAt(this.state, t, this.ruleset) + this.fit, this.ruleset);
  }
}

function engagementSince(state: LeadState, start: number, ruleset: CompiledRuleset): ExponentialSum {
  const terms = ruleset.halfLives.map((halfLifeMs, i) => ({
    coef: valueAt(state.decay[i] ?? null, start, halfLifeMs),
    rate: 1 / halfLifeMs,
  }));
  return { constant: 0, terms };
}

function firstCrossing(
  curve: TotalCurve,
  threshold: number,
  above: boolean,
  start: number,
  stretchEnds: readonly number[],
): number | undefined {
  let from = start;
  for (const to of stretchEnds) {
    if (curve.totalAt(to) >= threshold !== above) return crossingIn(curve, threshold, from, to);
    from = to;
  }
  return undefined;
}

/**
 * The smallest t in (from, to] on the other side of `threshold` than `from`, given `to` is: the
 * total is monotone in between. Exact to the millisecond like a bisection, which it falls back to,
 * but it first guesses where the straight line through the bracket's ends meets the threshold
 * (false position, with the Illinois weighting so that neither end stays put for long): a decaying
 * sum is smooth enough that this takes a handful of steps where halving a stretch of years to one
 * millisecond takes forty.
 */
function crossingIn(curve: TotalCurve, threshold: number, from: number, to: number): number {
  let lo = from;
  let hi = to;
  // Distances to the threshold, signed; those of lo and hi have opposite sides (hi's may be 0).
  let dLo = curve.totalAt(lo) - threshold;
  let dHi = curve.totalAt(hi) - threshold;
  const startSide = dLo >= 0;
  let kept: 'lo' | 'hi' | undefined;
  let bisectNext = false;
  while (hi - lo > 1) {
    const width = hi - lo;
    // Typed: TypeScript cannot infer a loop variable read back into its own assignment.
    const bisecting: boolean = bisectNext;
    const guess = lo + Math.round(width * (dLo / (dLo - dHi)));
    const mid =
      !bisecting && Number.isFinite(guess)
        ? Math.min(hi - 1, Math.max(lo + 1, guess))
        : lo + Math.floor(width / 2);
    const d = curve.totalAt(mid) - threshold;
    // Illinois: an end a guess kept twice in a row weighs half in the next guess. A bisection starts afresh.
    if (d >= 0 !== startSide) {
      hi = mid;
      dHi = d;
      if (kept === 'lo' && !bisecting) dLo /= 2;
      kept = bisecting ? undefined : 'lo';
    } else {
      lo = mid;
      dLo = d;
      if (kept === 'hi' && !bisecting) dHi /= 2;
      kept = bisecting ? undefined : 'hi';
    }
    // A guess that did not halve the bracket: the next step bisects, so no stretch takes more than
    // twice the steps of a bisection.
    bisectNext = !bisecting && hi - lo > width / 2;
  }
  return hi;
}
