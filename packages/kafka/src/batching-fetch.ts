import type { ConsumerSettings } from './kafkajs/kafka-subscription.js';

/**
 * The fetch of a consumer that would rather wait a little for a batch than pay for many small
 * ones: the broker answers once 16 KiB are waiting, or after 25 ms. Every fetch cycle costs
 * kafkajs about a millisecond of CPU whatever it brings, and every batch a transaction of a dozen
 * round trips or so, so at a live tail of 2,000 events/s consumers answered at once handled 15 to
 * 20 events per batch. The three services' consumers use it (their `*_CONSUMER_SETTINGS`); the
 * measurements are in docs/BENCHMARKS.md. The price: at low rates each hop waits up to 25 ms, and
 * an idle consumer fetches 40 times a second (about 0.05 of a core instead of 0.02).
 */
export const BATCHING_FETCH: Pick<ConsumerSettings, 'minBytes' | 'maxWaitTimeMs'> = {
  minBytes: 16 * 1024,
  maxWaitTimeMs: 25,
};
