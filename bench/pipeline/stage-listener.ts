import { performance } from 'node:perf_hooks';
import { Kafka, logLevel } from 'kafkajs';

export interface StageListener {
  /** Receive times (performance.now()) of stage changes, by triggering event id. */
  readonly receivedAt: Map<string, number>;
  /** Waits until the changes caused by these events arrived, or the timeout passed. */
  untilReceived(eventIds: readonly string[], timeoutMs: number): Promise<void>;
  stop(): Promise<void>;
}

/**
 * A CRM on the stage-changed topic, tuned for latency (the broker answers a fetch as soon as data
 * is there, or after 5 ms): notes when each stage change arrives, by the event that caused it.
 */
export async function listenToStageChanges(
  brokers: readonly string[],
  topic: string,
): Promise<StageListener> {
  const kafka = new Kafka({ brokers: [...brokers], clientId: 'bench-crm', logLevel: logLevel.NOTHING });
  const consumer = kafka.consumer({ groupId: `${topic}.bench-crm`, maxWaitTimeInMs: 5 });
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: false });
  const receivedAt = new Map<string, number>();
  let joined: () => void = () => undefined;
  const ready = new Promise<void>((resolve) => {
    joined = resolve;
  });
  consumer.on(consumer.events.GROUP_JOIN, () => joined());
  await consumer.run({
    eachMessage: async ({ message }) => {
      const now = performance.now();
      const body = JSON.parse(message.value?.toString('utf8') ?? '{}') as {
        triggeringEventId?: string | null;
      };
      if (body.triggeringEventId && !receivedAt.has(body.triggeringEventId))
        receivedAt.set(body.triggeringEventId, now);
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
