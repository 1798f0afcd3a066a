export interface TokenBucketOptions {
  /** Requests a key may make in a burst. */
  readonly capacity: number;
  /** Tokens added back per second, i.e. the sustained rate. */
  readonly refillPerSecond: number;
}

export type RateDecision =
  | { readonly allowed: true }
  | { readonly allowed: false; readonly retryAfterSeconds: number };

interface Bucket {
  tokens: number;
  updatedAtMs: number;
}

/**
 * A token bucket per key (per API key here). Time is an argument so the limiter is pure
 * bookkeeping: the route passes the clock, the tests pass any sequence of instants.
 */
export function createTokenBucketLimiter(options: TokenBucketOptions) {
  if (!(options.capacity >= 1) || !(options.refillPerSecond > 0)) {
    throw new RangeError(
      `token bucket needs capacity >= 1 and refillPerSecond > 0, got ${JSON.stringify(options)}`,
    );
  }
  const buckets = new Map<string, Bucket>();

  return function take(key: string, nowMs: number): RateDecision {
    const bucket = buckets.get(key) ?? { tokens: options.capacity, updatedAtMs: nowMs };
    // A clock that steps back must not mint tokens, hence max(0, ...).
    const elapsedSeconds = Math.max(0, nowMs - bucket.updatedAtMs) / 1000;
    bucket.tokens = Math.min(options.capacity, bucket.tokens + elapsedSeconds * options.refillPerSecond);
    bucket.updatedAtMs = Math.max(bucket.updatedAtMs, nowMs);
    buckets.set(key, bucket);
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return { allowed: true };
    }
    const secondsToNextToken = (1 - bucket.tokens) / options.refillPerSecond;
    return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil(secondsToNextToken)) };
  };
}

export type RateLimiter = ReturnType<typeof createTokenBucketLimiter>;
