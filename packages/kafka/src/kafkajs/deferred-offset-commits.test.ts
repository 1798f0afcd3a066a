import fc from 'fast-check';
import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { DeferredOffsetCommits, type PartitionOffset } from './deferred-offset-commits.js';

const logger = pino({ level: 'silent' });
const at = (partition: number, offset: number): PartitionOffset => ({
  topic: 't',
  partition,
  offset: String(offset),
});

describe('DeferredOffsetCommits', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('commits the latest offset of every partition in one request, an interval after the first', async () => {
    const commit = vi.fn(async (_offsets: PartitionOffset[]) => {});
    const commits = new DeferredOffsetCommits(commit, 200, logger);
    commits.record(at(0, 5));
    await vi.advanceTimersByTimeAsync(150);
    commits.record(at(1, 3));
    commits.record(at(0, 9));
    expect(commit).not.toHaveBeenCalled();

    await vi.advanceTimersByTimeAsync(50);
    expect(commit.mock.calls).toEqual([[[at(0, 9), at(1, 3)]]]);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(commit).toHaveBeenCalledTimes(1);
  });

  it('keeps no timer while nothing waits: an idle consumer sends no commits', async () => {
    const commit = vi.fn(async (_offsets: PartitionOffset[]) => {});
    const commits = new DeferredOffsetCommits(commit, 200, logger);
    await vi.advanceTimersByTimeAsync(5_000);
    expect(vi.getTimerCount()).toBe(0);
    commits.record(at(0, 1));
    await commits.flush();
    expect(vi.getTimerCount()).toBe(0);
    expect(commit).toHaveBeenCalledTimes(1);
  });

  it('flushes at once, after the commit already under way, so no older offset lands after a newer', async () => {
    const sent: string[][] = [];
    let finishFirst = () => {};
    const commit = vi.fn(async (offsets: PartitionOffset[]) => {
      sent.push(offsets.map((o) => o.offset));
      if (sent.length === 1) await new Promise<void>((resolve) => (finishFirst = resolve));
    });
    const commits = new DeferredOffsetCommits(commit, 200, logger);
    commits.record(at(0, 1));
    const first = commits.flush();
    commits.record(at(0, 2));
    const second = commits.flush();
    await vi.advanceTimersByTimeAsync(0);
    expect(sent).toEqual([['1']]);
    finishFirst();
    await Promise.all([first, second]);
    expect(sent).toEqual([['1'], ['2']]);
  });

  it('logs a failed commit instead of throwing; the next offsets are committed as usual', async () => {
    const commit = vi
      .fn(async (_offsets: PartitionOffset[]) => {})
      .mockRejectedValueOnce(new Error('REBALANCE_IN_PROGRESS'));
    const warn = vi.fn();
    const commits = new DeferredOffsetCommits(commit, 200, { ...logger, warn } as unknown as typeof logger);
    commits.record(at(0, 1));
    await expect(commits.flush()).resolves.toBeUndefined();
    expect(warn).toHaveBeenCalledTimes(1);
    commits.record(at(0, 2));
    await commits.flush();
    expect(commit.mock.calls.map(([offsets]) => offsets)).toEqual([[at(0, 1)], [at(0, 2)]]);
  });

  it('whatever the timing, commits per partition never go back, and a final flush commits the last offset', async () => {
    const step = fc.oneof(
      fc.record({ kind: fc.constant('record' as const), partition: fc.integer({ min: 0, max: 3 }) }),
      fc.record({ kind: fc.constant('wait' as const), ms: fc.integer({ min: 0, max: 400 }) }),
      fc.record({ kind: fc.constant('flush' as const) }),
    );
    await fc.assert(
      fc.asyncProperty(
        fc.array(step, { maxLength: 60 }),
        fc.array(fc.integer({ min: 0, max: 300 }), { minLength: 1, maxLength: 8 }),
        async (steps, latencies) => {
          const committed = new Map<number, number[]>();
          // Each commit takes the next of the drawn times, so a later one may be quicker.
          let calls = 0;
          const commit = async (offsets: PartitionOffset[]) => {
            await new Promise((resolve) => setTimeout(resolve, latencies[calls++ % latencies.length]));
            for (const { partition, offset } of offsets)
              committed.set(partition, [...(committed.get(partition) ?? []), Number(offset)]);
          };
          const commits = new DeferredOffsetCommits(commit, 200, logger);
          const last = new Map<number, number>();
          let next = 1;
          for (const s of steps) {
            if (s.kind === 'record') {
              last.set(s.partition, next);
              commits.record(at(s.partition, next++));
            } else if (s.kind === 'wait') await vi.advanceTimersByTimeAsync(s.ms);
            else void commits.flush();
          }
          const done = commits.flush();
          await vi.advanceTimersByTimeAsync(300 * (steps.length + 2));
          await done;
          for (const [partition, offsets] of committed) {
            expect(offsets).toEqual([...offsets].sort((a, b) => a - b));
            expect(offsets.at(-1)).toBe(last.get(partition));
          }
          expect([...committed.keys()].sort()).toEqual([...last.keys()].sort());
        },
      ),
      { numRuns: 100 },
    );
  });
});
