import type { Accumulator } from './lead-state.js';

/**
 * What `value`, held at reference time `ref`, is worth at `at` (>= ref): value·2^(-(at - ref)/halfLife).
 * The exponent is always <= 0, so the factor never overflows; far in the future it underflows to
 * exactly 0, the right limit. Math.exp is several times faster than 2 ** x and, for exponents down to
 * the underflow point, within 1e-13 relative of it.
 */
export function decayed(value: number, ref: number, at: number, halfLifeMs: number): number {
  return value === 0 ? 0 : value * Math.exp(((ref - at) * Math.LN2) / halfLifeMs);
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
