/**
 * The partition a key lands on: FNV-1a (32 bit) over the key's UTF-8 bytes. Only "same key, same
 * partition" matters here; Kafka's murmur2 placement is not reproduced because nothing outside
 * the process ever sees the in-process bus's partitions.
 */
export function partitionForKey(key: string, partitionCount: number): number {
  let hash = 0x811c9dc5;
  for (const byte of Buffer.from(key, 'utf8')) {
    hash ^= byte;
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash % partitionCount;
}
