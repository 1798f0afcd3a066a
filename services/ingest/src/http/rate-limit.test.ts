import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createTokenBucketLimiter } from './rate-limit.js';

describe('createTokenBucketLimiter', () => {
  it('allows a burst up to capacity, then refuses with the seconds until the next token', () => {
    const take = createTokenBucketLimiter({ capacity: 3, refillPerSecond: 0.5 });
    expect([take('k', 0), take('k', 0), take('k', 0)].every((d) => d.allowed)).toBe(true);
    expect(take('k', 0)).toEqual({ allowed: false, retryAfterSeconds: 2 });
    expect(take('k', 2_000)).toEqual({ allowed: true });
  });

  it('keeps one bucket per key', () => {
    const take = createTokenBucketLimiter({ capacity: 1, refillPerSecond: 1 });
    expect(take('a', 0).allowed).toBe(true);
    expect(take('a', 0).allowed).toBe(false);
    expect(take('b', 0).allowed).toBe(true);
  });

  it('never allows more than capacity + rate x elapsed, whatever the arrival times', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 20 }),
        fc.integer({ min: 1, max: 50 }),
        fc.array(fc.integer({ min: 0, max: 10_000 }), { minLength: 1, maxLength: 300 }),
        (capacity, refillPerSecond, offsets) => {
          const take = createTokenBucketLimiter({ capacity, refillPerSecond });
          const times = [...offsets].sort((a, b) => a - b);
          const allowed = times.filter((t) => take('k', t).allowed).length;
          const elapsedSeconds = (times.at(-1)! - times[0]!) / 1000;
          expect(allowed).toBeLessThanOrEqual(capacity + refillPerSecond * elapsedSeconds + 1e-9);
        },
      ),
    );
  });

  it('tells a refused caller a wait after which it is allowed', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 5 }),
        fc.double({ min: 0.01, max: 100, noNaN: true }),
        (capacity, rate) => {
          const take = createTokenBucketLimiter({ capacity, refillPerSecond: rate });
          let decision = take('k', 0);
          while (decision.allowed) decision = take('k', 0);
          expect(take('k', decision.retryAfterSeconds * 1000).allowed).toBe(true);
        },
      ),
    );
  });
});
