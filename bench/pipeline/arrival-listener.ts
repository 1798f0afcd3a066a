import { performance } from 'node:perf_hooks';
import { Kafka, type KafkaMessage, logLevel } from 'kafkajs';

export interface ArrivalListener {
  /** Receive times (performance.now()) of the topic's messages, by the event id they carry. */
  readonly receivedAt: Map<string, number>;
  /** Waits until messages for these events arrived, or the timeout passed. */
  untilReceived(eventIds: readonly string[], timeoutMs: number): Promise<void>;
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
 * A subscriber of `topic` as a CRM would run one: the broker answers a fetch as soon as data is
 * there (minBytes 1), so the 100 ms wait only paces its polling while the topic is idle (at 5 ms,
 * three listeners fetched 600 times a second on the cores the services need). Notes when the
 * first message of each event arrives.
 * One per hop the bench times (lead events, score changes, stage changes), so a latency can be
 * split into the stages that make it up.
 */
export async function listenForArrivals(
  brokers: readonly string[],
  topic: string,
  eventIdOf: EventIdOf,
): Promise<ArrivalListener> {
  const kafka = new Kafka({ brokers: [...brokers], clientId: 'bench-listener', logLevel: logLevel.NOTHING });
  const consumer = kafka.consumer({ groupId: `${topic}.bench-listener`, maxWaitTimeInMs: 100 });
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: false });
  const receivedAt = new Map<string, number>();
  let joined: () => void = () => undefined;
  const ready = new Promise<void>((resolve) => {
    joined = resolve;
  });
  consumer.on(consumer.events.GROUP_JOIN, () => joined());
  await consumer.run({
    eachBatch: async ({ batch }) => {
      const now = performance.now();
      for (const message of batch.messages) {
        const eventId = eventIdOf(message);
        if (eventId !== undefined && !receivedAt.has(eventId)) receivedAt.set(eventId, now);
      }
    },
  });
  await ready;
  return {
    receivedAt,
    async untilReceived(eventIds, timeoutMs) {
      const deadline = performance.now() + timeoutMs;
      while (performance.now() < deadline && eventIds.some((id) => !receivedAt.has(id))) {
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
    },
    stop: () => consumer.disconnect(),
  };
}
