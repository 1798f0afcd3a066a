import { type ICustomPartitioner, type PartitionerArgs, Partitioners } from 'kafkajs';

/**
 * murmur2 exactly as Kafka's Java client computes it (`Utils.murmur2`), over `length` bytes of
 * `data`: 32-bit integer arithmetic (`Math.imul`), where kafkajs's port emulates it with 64-bit
 * Long objects, several allocations per 4 bytes of key.
 */
export function murmur2(data: Uint8Array, length: number = data.length): number {
  const m = 0x5bd1e995;
  let h = 0x9747b28c ^ length;
  const whole = length & ~3;
  for (let i = 0; i < whole; i += 4) {
    let k = data[i]! | (data[i + 1]! << 8) | (data[i + 2]! << 16) | (data[i + 3]! << 24);
    k = Math.imul(k, m);
    k ^= k >>> 24;
    k = Math.imul(k, m);
    h = Math.imul(h, m) ^ k;
  }
  // Java's switch falls through from the third trailing byte to the first.
  const tail = length & 3;
  if (tail === 3) h ^= data[whole + 2]! << 16;
  if (tail >= 2) h ^= data[whole + 1]! << 8;
  if (tail >= 1) h = Math.imul(h ^ data[whole]!, m);
  h ^= h >>> 13;
  h = Math.imul(h, m);
  h ^= h >>> 15;
  return h | 0;
}

/** Kafka's placement of a keyed record: `toPositive(murmur2(utf8(key))) % partitions`. */
export function javaPartitionForKey(key: Buffer | string, partitionCount: number): number {
  return (murmur2Of(key) & 0x7fffffff) % partitionCount;
}

// Keys are encoded into this buffer instead of a new one per message; longer keys get their own.
const scratch = Buffer.allocUnsafe(1024);

function murmur2Of(key: Buffer | string): number {
  if (typeof key !== 'string') return murmur2(key);
  // A UTF-8 encoding is at most 3 bytes per UTF-16 code unit, so this size check never truncates.
  if (key.length * 3 > scratch.length) return murmur2(Buffer.from(key, 'utf8'));
  return murmur2(scratch, scratch.write(key, 0, 'utf8'));
}

/**
 * kafkajs's DefaultPartitioner with the same placement, computed without its per-message costs
 * (the Long arithmetic, a new key Buffer, and a filtered copy of the partition list made even when
 * the message has a key). Same partitions as kafkajs and as the Java client, so a lead's events
 * stay on one partition, in order, and co-partitioned with topics written by Java producers
 * (java-partitioner.test.ts checks it against both). Keyless messages keep kafkajs's round robin.
 */
export const JavaCompatiblePartitioner: ICustomPartitioner = () => {
  const roundRobin = Partitioners.DefaultPartitioner();
  return (args: PartitionerArgs) => {
    const { message, partitionMetadata } = args;
    if (message.partition !== undefined && message.partition !== null) return message.partition;
    if (message.key === undefined || message.key === null) return roundRobin(args);
    return javaPartitionForKey(message.key, partitionMetadata.length);
  };
};
