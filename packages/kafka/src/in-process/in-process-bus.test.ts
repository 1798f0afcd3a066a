import fc from 'fast-check';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import type { Bus, ConsumedBatch, ConsumedMessage } from '../bus.js';
import { UnknownTopicError } from '../errors.js';
import { createInProcessBus } from './in-process-bus.js';

const logger = pino({ level: 'silent' });

const scenario = fc.record({
  keys: fc.array(fc.constantFrom('a', 'b', 'c', 'd', 'e'), { minLength: 1, maxLength: 150 }),
  chunkSize: fc.integer({ min: 1, max: 40 }),
  partitions: fc.integer({ min: 1, max: 4 }),
  maxBatchSize: fc.integer({ min: 1, max: 20 }),
  membersOfFirstGroup: fc.integer({ min: 1, max: 3 }),
  // Which handler calls throw, cycled; bounded so every run makes progress.
  failures: fc.array(fc.boolean(), { minLength: 1, maxLength: 8 }),
});

async function until(condition: () => boolean): Promise<void> {
  const deadline = Date.now() + 5_000;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('the bus did not deliver everything within 5 s');
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
}

function failingNow(pattern: readonly boolean[], budget: { left: number }): () => boolean {
  let call = 0;
  return () => {
    const fail = pattern[call % pattern.length] === true && budget.left > 0;
    call += 1;
    if (fail) budget.left -= 1;
    return fail;
  };
}

describe('in-process bus', () => {
  it('hands every group each message once, in publish order per key, whatever fails and however it is split', async () => {
    await fc.assert(
      fc.asyncProperty(scenario, async (s) => {
        const bus: Bus = createInProcessBus({
          logger,
          maxBatchSize: s.maxBatchSize,
          retryBackoff: { initialMs: 1, maxMs: 2 },
        });
        await bus.ensureTopics([{ name: 'activity', partitions: s.partitions }]);
        const handled = new Map<string, ConsumedMessage[]>([
          ['first', []],
          ['second', []],
        ]);
        const batches: ConsumedBatch[] = [];
        const budget = { left: 10 };
        const subscribe = (groupId: string) =>
          bus.subscribe({
            groupId,
            topics: ['activity'],
            handleBatch: (() => {
              const shouldFail = failingNow(s.failures, budget);
              return async (batch) => {
                if (shouldFail()) throw new Error('injected failure');
                batches.push(batch);
                handled.get(groupId)?.push(...batch.messages);
              };
            })(),
          });
        for (let m = 0; m < s.membersOfFirstGroup; m += 1) await subscribe('first');
        await subscribe('second');

        const sent = s.keys.map((key, seq) => ({ key, value: String(seq) }));
        for (let from = 0; from < sent.length; from += s.chunkSize) {
          await bus.publish('activity', sent.slice(from, from + s.chunkSize));
          await new Promise((resolve) => setImmediate(resolve));
        }
        await until(() => [...handled.values()].every((messages) => messages.length >= sent.length));
        await bus.close();

        for (const messages of handled.values()) {
          expect(messages.map((m) => Number(m.value.toString())).sort((x, y) => x - y)).toEqual(
            sent.map((_, seq) => seq),
          );
          for (const key of new Set(s.keys)) {
            const order = messages.filter((m) => m.key === key).map((m) => Number(m.value.toString()));
            expect(order).toEqual([...order].sort((x, y) => x - y));
          }
        }
        for (const batch of batches) {
          expect(batch.messages.length).toBeLessThanOrEqual(s.maxBatchSize);
          const offsets = batch.messages.map((m) => Number(m.offset));
          expect(offsets).toEqual(offsets.map((_, i) => (offsets[0] ?? 0) + i));
        }
      }),
      { numRuns: 40 },
    );
  });

  it('refuses to publish to or subscribe to a topic that was never created', async () => {
    const bus = createInProcessBus({ logger });
    await expect(bus.publish('missing', [{ key: 'k', value: 'v' }])).rejects.toBeInstanceOf(
      UnknownTopicError,
    );
    await expect(
      bus.subscribe({ groupId: 'g', topics: ['missing'], handleBatch: async () => {} }),
    ).rejects.toBeInstanceOf(UnknownTopicError);
    await bus.close();
  });
});
