import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { Kafka, logLevel } from 'kafkajs';
import { appendedAt, lazyFetch, stampedOnAppend } from './append-times.js';
import { LatencyRecorder, type LatencySummary } from './latency.js';

export interface KafkaBaselineOptions {
  readonly brokers: readonly string[];
  readonly topic: string;
  readonly messagesPerSecond: number;
  readonly messagesPerSend: number;
  readonly durationSeconds: number;
}

/**
 * The floor any pipeline on this broker stands on: bare kafkajs, one hop, at the same rate and
 * batch size as the webhook load. Latency is from the start of `send` (acks=all) to the broker's
 * append, read from the message as the stage-change listener reads it (append-times.ts).
 */
export async function measureKafkaBaseline(options: KafkaBaselineOptions): Promise<LatencySummary> {
  const kafka = new Kafka({
    brokers: [...options.brokers],
    clientId: 'bench-baseline',
    logLevel: logLevel.NOTHING,
  });
  const admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({
    topics: [
      {
        topic: options.topic,
        numPartitions: 6,
        configEntries: [stampedOnAppend],
      },
    ],
    waitForLeaders: true,
  });
  await admin.disconnect();

  // acks=all like the services; requests in flight not limited, so a slow round trip does not
  // queue the sends behind each other (the services' publisher merges waiting sends instead).
  const producer = kafka.producer({ allowAutoTopicCreation: false });
  const consumer = kafka.consumer({ groupId: `${options.topic}.reader`, ...lazyFetch });
  await Promise.all([producer.connect(), consumer.connect()]);
  await consumer.subscribe({ topic: options.topic, fromBeginning: true });
  const sentAt = new Map<string, number>();
  const latencies = new LatencyRecorder();
  await consumer.run({
    eachMessage: async ({ message }) => {
      const key = message.key?.toString() ?? '';
      const started = sentAt.get(key);
      const appended = appendedAt(message);
      if (appended === undefined) throw new Error('the baseline topic is not stamped on append');
      if (started !== undefined) latencies.add(appended - started);
    },
  });

  const total = Math.round(options.messagesPerSecond * options.durationSeconds);
  const sends = new Set<Promise<unknown>>();
  const began = performance.now();
  let sent = 0;
  while (sent < total) {
    const due = Math.min(total, Math.floor(((performance.now() - began) / 1000) * options.messagesPerSecond));
    while (sent < due) {
      const count = Math.min(options.messagesPerSend, total - sent);
      const now = performance.now();
      const messages = Array.from({ length: count }, (_, i) => {
        const key = `m${sent + i}`;
        sentAt.set(key, now);
        return { key, value: JSON.stringify({ n: sent + i, padding: 'x'.repeat(300) }) };
      });
      const send = producer.send({ topic: options.topic, acks: -1, messages });
      sends.add(send);
      void send.finally(() => sends.delete(send));
      sent += count;
    }
    await sleep(2);
  }
  await Promise.all(sends);
  const deadline = performance.now() + 30_000;
  while (latencies.count < total && performance.now() < deadline) await sleep(50);
  await Promise.all([producer.disconnect(), consumer.disconnect()]);
  return latencies.summary();
}
