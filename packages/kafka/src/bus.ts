/**
 * The message bus every service talks to. Two implementations share this contract
 * (and one contract test suite, tests/bus): the kafkajs adapter for production and tests, and
 * the in-process bus for the quickstart.
 *
 * Delivery contract (at least once, ordered per key):
 * - Topics exist before they are used: `ensureTopics` at start; nothing creates them implicitly.
 * - `publish` resolves only once every message is durably acknowledged (Kafka: acks=all); when it
 *   rejects, each of its messages may or may not have been written: publish them again (message
 *   ids let consumers drop the copies); never report them as accepted.
 * - Messages with the same key land on the same partition and are consumed in the order publish
 *   was called (and, within one call, in array order).
 * - A batch's offsets are committed only after `handleBatch` resolved (by Kafka's adapter together
 *   with the others handled in the next 200 ms, and before `stop` leaves the group: a consumer that
 *   dies first has those batches delivered again). When it throws, the
 *   partition is delivered again from the batch's first message after a growing backoff (the new
 *   batch may hold more messages): nothing is skipped, so handlers must be idempotent.
 */

/** Header values are UTF-8 text; when Kafka carries a name twice, the last value wins. */
export type Headers = Readonly<Record<string, string>>;

export interface OutgoingMessage {
  readonly key: string;
  readonly value: Buffer | string;
  readonly headers?: Headers;
}

export interface ConsumedMessage {
  readonly topic: string;
  readonly partition: number;
  /** Kafka offsets are 64-bit; kept as a decimal string. */
  readonly offset: string;
  readonly key: string | null;
  /** The raw bytes, so a consumer can forward an unparseable message to a DLQ untouched. */
  readonly value: Buffer;
  readonly headers: Headers;
  readonly timestamp: number;
}

export interface ConsumedBatch {
  readonly topic: string;
  readonly partition: number;
  readonly messages: readonly ConsumedMessage[];
}

export interface SubscribeOptions {
  readonly groupId: string;
  readonly topics: readonly string[];
  /** Where a group with no committed offset starts. Defaults to the earliest message. */
  readonly fromBeginning?: boolean;
  readonly handleBatch: (batch: ConsumedBatch) => Promise<void>;
}

/** Returned once the subscriber has joined its group (Kafka: holds its partition assignment). */
export interface Subscription {
  /** Stops fetching, waits for the batch in hand to finish, leaves the group. */
  stop(): Promise<void>;
}

export interface TopicSpec {
  readonly name: string;
  readonly partitions?: number;
}

export interface Bus {
  publish(topic: string, messages: readonly OutgoingMessage[]): Promise<void>;
  subscribe(options: SubscribeOptions): Promise<Subscription>;
  ensureTopics(topics: readonly TopicSpec[]): Promise<void>;
  /** Resolves when the bus can serve metadata requests; rejects with the reason otherwise. */
  healthCheck(): Promise<void>;
  close(): Promise<void>;
}
