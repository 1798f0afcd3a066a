import type { ConsumedMessage, Headers, OutgoingMessage } from '../bus.js';
import { partitionForKey } from './partition-for-key.js';

interface StoredMessage {
  readonly key: string;
  readonly value: Buffer;
  readonly headers: Headers;
  readonly timestamp: number;
}

/** One topic held in memory: an append-only array of messages per partition, offset = index. */
export class TopicLog {
  private readonly partitions: StoredMessage[][];

  constructor(
    readonly name: string,
    readonly partitionCount: number,
  ) {
    this.partitions = Array.from({ length: partitionCount }, () => []);
  }

  append(message: OutgoingMessage, timestamp: number): void {
    const partition = this.partition(partitionForKey(message.key, this.partitionCount));
    // Copies, so a publisher reusing its buffer cannot change what was "acknowledged".
    partition.push({
      key: message.key,
      value: Buffer.from(message.value),
      headers: { ...message.headers },
      timestamp,
    });
  }

  /** The offset the next message of the partition will get. */
  endOffset(partition: number): number {
    return this.partition(partition).length;
  }

  read(partition: number, fromOffset: number, maxMessages: number): ConsumedMessage[] {
    return this.partition(partition)
      .slice(fromOffset, fromOffset + maxMessages)
      .map((stored, index) => ({
        topic: this.name,
        partition,
        offset: String(fromOffset + index),
        key: stored.key,
        value: Buffer.from(stored.value),
        headers: { ...stored.headers },
        timestamp: stored.timestamp,
      }));
  }

  private partition(partition: number): StoredMessage[] {
    const messages = this.partitions[partition];
    if (!messages) throw new RangeError(`Topic ${this.name} has no partition ${partition}`);
    return messages;
  }
}
