import type { Observe } from '../../../services/projector/src/stages/decide-leads.js';

/**
 * Wraps a look so that `interfere` runs on its first `times` calls, after the decision has read
 * the lead and before it appends: a competing writer made to commit in between, every time,
 * instead of hoping a race happens. `calls` counts the looks taken.
 */
export function interfering(
  observe: Observe,
  interfere: () => Promise<unknown>,
  times = 1,
): Observe & { calls: number } {
  const wrapped = Object.assign(
    async (...args: Parameters<Observe>) => {
      wrapped.calls += 1;
      if (wrapped.calls <= times) await interfere();
      return observe(...args);
    },
    { calls: 0 },
  );
  return wrapped;
}
