import { BusOptionsError } from '../errors.js';

/**
 * How a consumer's fetches wait once its topics went quiet: after `afterEmptyFetches` fetches in a
 * row brought nothing, each fetch asks the broker for any byte at all, waiting up to
 * `maxWaitTimeMs`, until one brings something.
 */
export interface IdleFetch {
  readonly afterEmptyFetches: number;
  readonly maxWaitTimeMs: number;
}

/** A consumer's own fetch wait, as its settings give it: the wait while messages flow. */
export interface BatchingWait {
  readonly minBytes: number;
  readonly maxWaitTimeMs: number;
}

/** The wait of one fetch, as kafkajs's fetch request takes it. */
export interface FetchWait {
  readonly minBytes: number;
  readonly maxWaitTime: number;
}

/**
 * What kafkajs asks before each fetch of one broker's fetch loop and tells after it (the
 * `fetchWaitPolicy` consumer option that patches/kafkajs@2.2.4.patch adds; one policy per loop).
 */
export interface FetchWaitPolicy {
  next(): FetchWait;
  observe(gotMessages: boolean): void;
}

/**
 * A batching wait (say 16 KiB or 25 ms) while messages flow, and a wait for any byte once they
 * stopped. A consumer that waits for a batch fetches every 25 ms when nothing comes, and each fetch
 * cycle costs kafkajs 1 to 2 ms of CPU: 0.05 of a core or more per idle consumer. Once idle, a
 * fetch for any byte is held by the broker for up to `maxWaitTimeMs` (so a few fetches a second)
 * and answered as soon as a message arrives, so the first message after a pause waits for no
 * batch either; the fetch after it batches again. While messages keep coming, every fetch brings
 * some and nothing changes.
 */
export class IdleAwareFetchWait implements FetchWaitPolicy {
  private emptyInARow = 0;
  private readonly batching: FetchWait;
  private readonly idle: FetchWait;

  constructor(
    batching: BatchingWait,
    private readonly idleFetch: IdleFetch,
  ) {
    if (!Number.isInteger(idleFetch.afterEmptyFetches) || idleFetch.afterEmptyFetches < 1) {
      throw new BusOptionsError(
        'idleFetch.afterEmptyFetches',
        `expected a whole number >= 1, got ${idleFetch.afterEmptyFetches}`,
      );
    }
    if (!(idleFetch.maxWaitTimeMs > 0)) {
      throw new BusOptionsError(
        'idleFetch.maxWaitTimeMs',
        `expected a duration > 0, got ${idleFetch.maxWaitTimeMs}`,
      );
    }
    this.batching = { minBytes: batching.minBytes, maxWaitTime: batching.maxWaitTimeMs };
    this.idle = { minBytes: 1, maxWaitTime: idleFetch.maxWaitTimeMs };
  }

  next(): FetchWait {
    return this.emptyInARow >= this.idleFetch.afterEmptyFetches ? this.idle : this.batching;
  }

  observe(gotMessages: boolean): void {
    this.emptyInARow = gotMessages ? 0 : Math.min(this.emptyInARow + 1, this.idleFetch.afterEmptyFetches);
  }
}

/**
 * The kafkajs consumer option (added by patches/kafkajs@2.2.4.patch) that picks each fetch's wait:
 * none when the settings ask for no idle wait, so that every fetch waits as they say.
 * kafkajs's own types do not know the option, hence an object to spread into the consumer's config.
 */
export function fetchWaitPolicyOption(settings: BatchingWait & { readonly idleFetch?: IdleFetch }): {
  readonly fetchWaitPolicy?: () => FetchWaitPolicy;
} {
  const { idleFetch } = settings;
  if (idleFetch === undefined) return {};
  return { fetchWaitPolicy: () => new IdleAwareFetchWait(settings, idleFetch) };
}
