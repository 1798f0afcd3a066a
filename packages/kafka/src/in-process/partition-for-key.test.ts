import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { partitionForKey } from './partition-for-key.js';

describe('partitionForKey', () => {
  it('gives every key one partition within range, the same every time', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme' }), fc.integer({ min: 1, max: 64 }), (key, count) => {
        const partition = partitionForKey(key, count);
        expect(Number.isInteger(partition)).toBe(true);
        expect(partition).toBeGreaterThanOrEqual(0);
        expect(partition).toBeLessThan(count);
        expect(partitionForKey(key, count)).toBe(partition);
      }),
    );
  });

  it('spreads distinct keys over all partitions', () => {
    const counts = new Array<number>(8).fill(0);
    for (let i = 0; i < 8_000; i += 1) {
      const partition = partitionForKey(`lead-${i}`, 8);
      counts[partition] = (counts[partition] ?? 0) + 1;
    }
    for (const count of counts) {
      expect(count).toBeGreaterThan(700);
      expect(count).toBeLessThan(1_300);
    }
  });
});
