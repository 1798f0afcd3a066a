import { performance } from 'node:perf_hooks';
import { Kafka, type KafkaMessage, logLevel } from 'kafkajs';
import { appendedAt, lazyFetch } from './append-times.js';

export interface ArrivalListener {
  /** When the broker appended the topic's messages (performance.now()), by the event id they carry. */
  readonly appendedAt: Map<string, number>;
  /** Waits until messages for these events were read, or the timeout passed. */
  untilReceived(eventIds: readonly string[], timeoutMs: number): Promise<void>;
  /** Messages read without the broker's append time (a topic not stamped on append): should be 0. */
  unstamped(): number;
  stop(): Promise<void>;
}

/** Which event a message belongs to: undefined for messages the bench does not follow. */
export type EventIdOf = (message: KafkaMessage) => string | undefined;

/** The event a stage change was triggered by (JSON body). */
export const triggeringEventId: EventIdOf = (message) =>
  bodyOf<{ triggeringEventId?: string | null }>(message).triggeringEventId ?? undefined;

/** The event whose scoring made a score change (JSON body). */
export const scoredEventId: EventIdOf = (message) => bodyOf<{ eventId?: string }>(message).eventId;

const bodyOf = <Body>(message: KafkaMessage): Partial<Body> =>
  JSON.parse(message.value?.toString('utf8') ?? '{}') as Partial<Body>;

/** The stored event a lead event carries (CloudEvents binary mode: header ce_id). */
export const cloudEventId: EventIdOf = (message) => message.headers?.ce_id?.toString();

/**
 * Notes when the broker appended the first message of each event to `topic`, a topic stamped on
 * append (see append-times.ts): the time travels in the message, so the listener fetches in large
 * batches (1 MiB or 250 ms) at little cost to the machine it measures, where taking the time on
 * receipt needed a fetch answered at every message (minBytes 1), hundreds a second per listener.
 * One per hop the bench times (lead events, score changes, stage changes), so a latency can be
 * split into the stages that make it up.
 */
export async function listenForArrivals(
  brokers: readonly string[],
  topic: string,
  eventIdOf: EventIdOf,
): Promise<ArrivalListener> {
  const kafka = new Kafka({ brokers: [...brokers], clientId: 'bench-listener', logLevel: logLevel.NOTHING });
  const consumer = kafka.consumer({ groupId: `${topic}.bench-listener`, ...lazyFetch });
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: false });
  const appended = new Map<string, number>();
  let unstamped = 0;
  let joined: () => void = () => undefined;
  const ready = new Promise<void>((resolve) => {
    joined = resolve;
  });
  consumer.on(consumer.events.GROUP_JOIN, () => joined());
  await consumer.run({
    eachBatch: async ({ batch }) => {
      for (const message of batch.messages) {
        const eventId = eventIdOf(message);
        if (eventId === undefined || appended.has(eventId)) continue;
        const at = appendedAt(message);
        if (at === undefined) unstamped += 1;
        else appended.set(eventId, at);
      }
    },
  });
  await ready;
  return {
    appendedAt: appended,
    async untilReceived(eventIds, timeoutMs) {
      const deadline = performance.now() + timeoutMs;
      while (performance.now() < deadline && eventIds.some((id) => !appended.has(id))) {
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
    },
    unstamped: () => unstamped,
    stop: () => consumer.disconnect(),
  };
}
