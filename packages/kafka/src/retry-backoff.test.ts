import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { retryDelayMs } from './retry-backoff.js';

const policy = fc
  .record({ initialMs: fc.integer({ min: 1, max: 5_000 }), extra: fc.integer({ min: 0, max: 120_000 }) })
  .map(({ initialMs, extra }) => ({ initialMs, maxMs: initialMs + extra }));
const attempt = fc.integer({ min: 1, max: 10_000 });
const unit = fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true });

describe('retryDelayMs', () => {
  it('stays between half the capped exponential ceiling and the ceiling', () => {
    fc.assert(
      fc.property(policy, attempt, unit, (p, n, r) => {
        const ceiling = Math.min(p.maxMs, p.initialMs * 2 ** (n - 1));
        const delay = retryDelayMs(p, n, r);
        expect(delay).toBeGreaterThanOrEqual(Math.floor(ceiling / 2));
        expect(delay).toBeLessThanOrEqual(Math.ceil(ceiling));
      }),
    );
  });

  it('never waits less after more failures, for the same jitter', () => {
    fc.assert(
      fc.property(policy, attempt, unit, (p, n, r) => {
        expect(retryDelayMs(p, n + 1, r)).toBeGreaterThanOrEqual(retryDelayMs(p, n, r));
      }),
    );
  });

  it('starts at the initial delay and doubles until the cap', () => {
    const p = { initialMs: 100, maxMs: 1_000 };
    expect([1, 2, 3, 4, 5, 6].map((n) => retryDelayMs(p, n, 0.999999))).toEqual([
      100, 200, 400, 800, 1_000, 1_000,
    ]);
  });
});
