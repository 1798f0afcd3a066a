import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BusOptionsError } from '../errors.js';
import { fetchWaitPolicyOption, IdleAwareFetchWait } from './idle-aware-fetch-wait.js';

const batching = { minBytes: 16_384, maxWaitTimeMs: 25 };
const idleFetch = { afterEmptyFetches: 3, maxWaitTimeMs: 100 };
const BATCHING = { minBytes: 16_384, maxWaitTime: 25 };
const IDLE = { minBytes: 1, maxWaitTime: 100 };

describe('IdleAwareFetchWait', () => {
  it('batches until the set number of fetches in a row brought nothing, then waits for any byte', () => {
    const wait = new IdleAwareFetchWait(batching, idleFetch);
    expect(wait.next()).toEqual(BATCHING);
    wait.observe(false);
    wait.observe(false);
    expect(wait.next()).toEqual(BATCHING);
    wait.observe(false);
    expect(wait.next()).toEqual(IDLE);
    wait.observe(false);
    expect(wait.next()).toEqual(IDLE);
  });

  it('batches again as soon as a fetch brings messages', () => {
    const wait = new IdleAwareFetchWait(batching, idleFetch);
    for (let i = 0; i < 10; i += 1) wait.observe(false);
    wait.observe(true);
    expect(wait.next()).toEqual(BATCHING);
  });

  it('counts only empty fetches in a row: one with messages starts the count again', () => {
    const wait = new IdleAwareFetchWait(batching, idleFetch);
    wait.observe(false);
    wait.observe(false);
    wait.observe(true);
    wait.observe(false);
    wait.observe(false);
    expect(wait.next()).toEqual(BATCHING);
  });

  it('waits for any byte exactly when the last fetches observed were all empty', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 6 }),
        fc.array(fc.boolean(), { maxLength: 40 }),
        (after, fetches) => {
          const wait = new IdleAwareFetchWait(batching, { afterEmptyFetches: after, maxWaitTimeMs: 100 });
          for (const gotMessages of fetches) wait.observe(gotMessages);
          const lastOnes = fetches.slice(-after);
          const idle = lastOnes.length === after && lastOnes.every((gotMessages) => !gotMessages);
          expect(wait.next()).toEqual(idle ? IDLE : BATCHING);
        },
      ),
    );
  });

  it('refuses settings that would never or always idle', () => {
    expect(() => new IdleAwareFetchWait(batching, { afterEmptyFetches: 0, maxWaitTimeMs: 100 })).toThrow(
      BusOptionsError,
    );
    expect(() => new IdleAwareFetchWait(batching, { afterEmptyFetches: 1.5, maxWaitTimeMs: 100 })).toThrow(
      /afterEmptyFetches/,
    );
    expect(() => new IdleAwareFetchWait(batching, { afterEmptyFetches: 3, maxWaitTimeMs: 0 })).toThrow(
      /maxWaitTimeMs/,
    );
    expect(
      () => new IdleAwareFetchWait(batching, { afterEmptyFetches: 3, maxWaitTimeMs: Number.NaN }),
    ).toThrow(BusOptionsError);
  });

  it('is what the consumer option builds, a new policy per fetch loop; without an idle wait there is no option', () => {
    const { fetchWaitPolicy } = fetchWaitPolicyOption({ ...batching, idleFetch });
    const first = fetchWaitPolicy!();
    const second = fetchWaitPolicy!();
    for (let i = 0; i < 3; i += 1) first.observe(false);
    expect(first.next()).toEqual(IDLE);
    expect(second.next()).toEqual(BATCHING);
    expect(fetchWaitPolicyOption(batching)).toEqual({});
  });
});
