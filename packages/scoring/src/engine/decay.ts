import type { Accumulator } from './lead-state.js';

/**
 * The value of an accumulator at `at` (>= its reference time). The exponent is always <= 0, so the
 * factor never overflows; far in the future it underflows to exactly 0, which is the right limit.
 */
export function valueAt(accumulator: Accumulator, at: number, halfLifeMs: number): number {
  const [value, ref] = accumulator;
  return value === 0 ? 0 : value * 2 ** (-(at - ref) / halfLifeMs);
}

/** Moves the reference time to `at` (>= the current one) and adds points there. */
export function addPointsAt(
  accumulator: Accumulator | undefined,
  points: number,
  at: number,
  halfLifeMs: number,
): Accumulator {
  return accumulator === undefined ? [points, at] : [valueAt(accumulator, at, halfLifeMs) + points, at];
}
