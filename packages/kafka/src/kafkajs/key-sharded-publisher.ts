import type { OutgoingMessage } from '../bus.js';
import { javaPartitionForKey } from './java-partitioner.js';

/** One lane: a CoalescingPublisher in production. */
export interface PublishLane {
  publish(topic: string, messages: readonly OutgoingMessage[]): Promise<void>;
  close(): Promise<void>;
}

/**
 * Spreads publishes over several coalescing publishers (lanes), each with its own idempotent
 * producer, so that several produce requests are in flight at once: kafkajs lets an idempotent
 * producer have only one request in flight per broker, so with one producer the webhook's
 * throughput was one request's size per broker round trip.
 *
 * A key always goes to the same lane (murmur2 of the key modulo the lanes, the hash that places
 * it on its partition), and a lane sends in publish order, so a key's messages stay in publish
 * order as the Bus contract requires. When the lane count divides the partition count, each
 * partition is written by one producer only. A publish resolves once every lane it used has
 * been acknowledged; when one lane fails it rejects, and its other messages may have been
 * written, which the contract allows (a rejected publish is sent again; ids make copies harmless).
 */
export class KeyShardedPublisher {
  constructor(private readonly lanes: readonly PublishLane[]) {}

  publish(topic: string, messages: readonly OutgoingMessage[]): Promise<void> {
    const lanes = this.lanes;
    if (lanes.length === 1) return (lanes[0] as PublishLane).publish(topic, messages);
    const parts: OutgoingMessage[][] = lanes.map(() => []);
    for (const message of messages) {
      (parts[javaPartitionForKey(message.key, lanes.length)] as OutgoingMessage[]).push(message);
    }
    const sends: Promise<void>[] = [];
    parts.forEach((part, lane) => {
      if (part.length > 0) sends.push((lanes[lane] as PublishLane).publish(topic, part));
    });
    return Promise.all(sends).then(() => undefined);
  }

  async close(): Promise<void> {
    await Promise.all(this.lanes.map((lane) => lane.close()));
  }
}
