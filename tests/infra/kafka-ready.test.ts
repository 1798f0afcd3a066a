import { describe, expect, it } from 'vitest';
import { groupIdsCoveringEveryOffsetsPartition, javaStringHashCode } from '../setup/kafka-ready.js';

describe('warming up the group coordinators of a fresh broker', () => {
  it('hashes group ids exactly as java.lang.String#hashCode does', () => {
    expect(javaStringHashCode('')).toBe(0);
    expect(javaStringHashCode('abc')).toBe(96354);
    // Overflows 32 bits, as Java's int arithmetic does.
    expect(javaStringHashCode('Hello World')).toBe(-862545276);
  });

  it('picks one group id for each partition of the offsets topic', () => {
    for (const partitions of [1, 5, 50]) {
      const ids = groupIdsCoveringEveryOffsetsPartition(partitions);
      const covered = new Set(ids.map((id) => (javaStringHashCode(id) & 0x7fffffff) % partitions));
      expect(ids).toHaveLength(partitions);
      expect(covered.size).toBe(partitions);
    }
  });
});
