import type { WindowUnit } from '../ruleset/ruleset.schema.js';

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;
const WEEK_MS = 7 * DAY_MS;
// 1970-01-01 was a Thursday; shifting by three days makes week windows start on Monday (ISO weeks).
const MONDAY_SHIFT_MS = 3 * DAY_MS;

/**
 * Caps count per calendar window in UTC rather than per rolling window: a window is then one integer,
 * so a cap needs two numbers of state whatever its count, and "3 per day" means what a person reading
 * a report expects. Under the canonical order the counted events of a window are its first ones.
 */
export function windowIndexOf(unit: WindowUnit): (at: number) => number {
  switch (unit) {
    case 'hour':
      return (at) => Math.floor(at / HOUR_MS);
    case 'day':
      return (at) => Math.floor(at / DAY_MS);
    case 'week':
      return (at) => Math.floor((at + MONDAY_SHIFT_MS) / WEEK_MS);
  }
}

export const MS_PER_DAY = DAY_MS;
