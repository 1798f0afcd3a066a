import type { Source } from '@leadscore/contracts';

/** Campaign attribution of one event, with the time it occurred (epoch ms). */
export type Touch = Source & { readonly at: number };

export interface Touches {
  readonly firstTouch: Touch | null;
  readonly lastTouch: Touch | null;
}

export const noTouches: Touches = { firstTouch: null, lastTouch: null };

/**
 * First and last touch by occurrence time, not arrival: a late event with an earlier campaign
 * becomes the first touch. On equal times the touch seen first stays first and the one seen last
 * becomes last, so the result depends on arrival order only between simultaneous events.
 */
export function addTouch(touches: Touches, source: Source | undefined, at: number): Touches {
  // Picked field by field: callers pass whole lead records, which must not leak into the result.
  const { firstTouch, lastTouch } = touches;
  if (source === undefined || Object.keys(source).length === 0) return { firstTouch, lastTouch };
  // Object.assign, not `{ ...source, at }`: a spread followed by more keys takes V8's slow path
  // on Node 20, about 1 µs here (docs/BENCHMARKS.md, tenth session).
  const touch: Touch = Object.assign({}, source, { at });
  return {
    firstTouch: firstTouch === null || at < firstTouch.at ? touch : firstTouch,
    lastTouch: lastTouch === null || at >= lastTouch.at ? touch : lastTouch,
  };
}
