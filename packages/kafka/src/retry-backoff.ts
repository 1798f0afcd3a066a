/**
 * How long a consumer waits before a failed batch is delivered again. Exponential so a database
 * outage is not hammered, capped so recovery is noticed within `maxMs`, and jittered so the
 * consumers of many partitions do not retry in lockstep the moment the database comes back.
 */
export interface RetryBackoff {
  readonly initialMs: number;
  readonly maxMs: number;
}

export const DEFAULT_RETRY_BACKOFF: RetryBackoff = { initialMs: 200, maxMs: 30_000 };

/**
 * Delay before redelivery number `attempt` (1 = first retry). `random` is a number in [0, 1),
 * passed in so the function stays pure; the result lies in [ceiling / 2, ceiling] where
 * ceiling = min(maxMs, initialMs * 2^(attempt - 1)).
 */
export function retryDelayMs(policy: RetryBackoff, attempt: number, random: number): number {
  const exponent = Math.max(0, attempt - 1);
  const ceiling = Math.min(policy.maxMs, policy.initialMs * 2 ** Math.min(exponent, 52));
  return Math.round(ceiling / 2 + (ceiling / 2) * random);
}
