import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { coalesceConcurrent } from './coalesce-concurrent.js';

describe('coalesceConcurrent', () => {
  it('runs items submitted together in one call, in submission order', async () => {
    const calls: number[][] = [];
    const submit = coalesceConcurrent<number>(
      async (items) => {
        calls.push([...items]);
      },
      () => 1,
      10,
    );
    await Promise.all([submit(1), submit(2), submit(3)]);
    await submit(4);
    expect(calls).toEqual([[1, 2, 3], [4]]);
  });

  it("cuts a turn's items into calls of at most maxWeight, keeping their order", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.integer({ min: 1, max: 12 }), { minLength: 1, maxLength: 20 }),
        async (weights) => {
          const calls: number[][] = [];
          const submit = coalesceConcurrent<number>(
            async (items) => {
              calls.push([...items]);
            },
            (item) => weights[item]!,
            10,
          );
          await Promise.all(weights.map((_, i) => submit(i)));
          expect(calls.flat()).toEqual(weights.map((_, i) => i));
          for (const call of calls) {
            const total = call.reduce((sum, item) => sum + weights[item]!, 0);
            expect(call.length === 1 || total <= 10).toBe(true);
          }
        },
      ),
    );
  });

  it('a failing item fails only its own submitter; the others succeed on their own', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.boolean(), { minLength: 1, maxLength: 8 }), async (fails) => {
        const done: number[] = [];
        const submit = coalesceConcurrent<number>(
          async (items) => {
            if (items.some((item) => fails[item])) throw new Error('cannot');
            done.push(...items);
          },
          () => 1,
          4,
        );
        const outcomes = await Promise.allSettled(fails.map((_, i) => submit(i)));
        outcomes.forEach((outcome, i) => {
          expect(outcome.status).toBe(fails[i] ? 'rejected' : 'fulfilled');
        });
        expect(new Set(done)).toEqual(new Set(fails.flatMap((fail, i) => (fail ? [] : [i]))));
      }),
    );
  });

  it('resolves a submitter only after the work of its item completed', async () => {
    let finished = false;
    const submit = coalesceConcurrent<number>(
      async () => {
        await new Promise((resolve) => setTimeout(resolve, 5));
        finished = true;
      },
      () => 1,
      10,
    );
    await submit(1);
    expect(finished).toBe(true);
  });
});
