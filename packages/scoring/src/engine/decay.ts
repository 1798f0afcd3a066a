import type { Accumulator } from './lead-state.js';

/**
 * What `value`, held at reference time `ref`, is worth at `at` (>= ref). The exponent is always
 * <= 0, so the factor never overflows; far in the future it underflows to exactly 0, the right limit.
 */
export function decayed(value: number, ref: number, at: number, halfLifeMs: number): number {
  return value === 0 ? 0 : value * 2 ** (-(at - ref) / halfLifeMs);
}

export function valueAt(accumulator: Accumulator | null, at: number, halfLifeMs: number): number {
  return accumulator === null ? 0 : decayed(accumulator[0], accumulator[1], at, halfLifeMs);
}

/** Moves the reference time to `at` (>= the current one) and adds points there. */
export function addPointsAt(
  accumulator: Accumulator | null,
  points: number,
  at: number,
  halfLifeMs: number,
): Accumulator {
  return accumulator === null ? [points, at] : [valueAt(accumulator, at, halfLifeMs) + points, at];
}
