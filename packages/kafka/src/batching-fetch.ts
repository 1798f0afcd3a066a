import type { ConsumerSettings } from './kafkajs/kafka-subscription.js';

/**
 * The fetch of a consumer that would rather wait a little for a batch than pay for many small
 * ones: the broker answers once 16 KiB are waiting, or after 25 ms. Every fetch cycle costs
 * kafkajs about a millisecond of CPU whatever it brings, and every batch a transaction of a dozen
 * round trips or so, so at a live tail of 2,000 events/s consumers answered at once handled 15 to
 * 20 events per batch. The three services' consumers use it (their `*_CONSUMER_SETTINGS`); the
 * measurements are in docs/BENCHMARKS.md.
 *
 * The price of the batch wait is paid at low rates, where a hop waits up to 25 ms for 16 KiB that
 * do not come. Once ten fetches in a row (a quarter of a second) brought nothing, the consumer
 * waits for any byte instead, up to 100 ms a fetch (IdleAwareFetchWait): an idle consumer then
 * fetches ten times a second instead of forty, and the first message after a pause is handed over
 * as soon as it arrives.
 */
export const BATCHING_FETCH: Pick<ConsumerSettings, 'minBytes' | 'maxWaitTimeMs' | 'idleFetch'> = {
  minBytes: 16 * 1024,
  maxWaitTimeMs: 25,
  idleFetch: { afterEmptyFetches: 10, maxWaitTimeMs: 100 },
};
