import { Kafka, logLevel } from 'kafkajs';
import { afterAll, describe, expect, it } from 'vitest';
import { kafkaBrokers, uniqueTopicPrefix } from '../support/infra.js';

const kafka = new Kafka({ clientId: 'infra-test', brokers: kafkaBrokers(), logLevel: logLevel.NOTHING });
const prefix = uniqueTopicPrefix();
const admin = kafka.admin();

afterAll(async () => {
  await admin.disconnect();
});

describe('the provisioned Kafka broker', () => {
  it('answers metadata requests', async () => {
    await admin.connect();
    const cluster = await admin.describeCluster();
    expect(cluster.brokers.length).toBeGreaterThanOrEqual(1);
  });

  it('serves consumer groups and idempotent producers without any retry, from the first test on', async () => {
    const topic = `${prefix}no-retry`;
    // Topic creation has start-up latency of its own; this test is about the broker's.
    await admin.createTopics({ topics: [{ topic, numPartitions: 1 }], waitForLeaders: true });
    const producer = kafka.producer({ idempotent: true, retry: { retries: 1 } });
    await producer.connect();
    await producer.send({ topic, acks: -1, messages: [{ key: 'k', value: 'v' }] });
    await producer.disconnect();

    const consumer = kafka.consumer({
      groupId: `${prefix}no-retry`,
      retry: { retries: 0 },
      maxWaitTimeInMs: 50,
    });
    const crashed = new Promise<never>((_, reject) => {
      consumer.on(consumer.events.CRASH, (event) => reject(event.payload.error));
    });
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    const firstMessage = new Promise<string>((resolve) => {
      void consumer.run({ eachMessage: async ({ message }) => resolve(String(message.value)) });
    });
    try {
      expect(await Promise.race([firstMessage, crashed])).toBe('v');
    } finally {
      await consumer.disconnect();
    }
  });

  it('delivers produced keyed messages to a consumer, in order per key', async () => {
    const topic = `${prefix}roundtrip`;
    await admin.createTopics({ topics: [{ topic, numPartitions: 3 }], waitForLeaders: true });
    const sent = Array.from({ length: 60 }, (_, i) => ({ key: `lead-${i % 4}`, value: `event-${i}` }));

    const producer = kafka.producer({ idempotent: true });
    await producer.connect();
    await producer.send({ topic, acks: -1, messages: sent });
    await producer.disconnect();

    const consumer = kafka.consumer({ groupId: `${prefix}group`, maxWaitTimeInMs: 50 });
    const received: { key: string; value: string }[] = [];
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    const allReceived = new Promise<void>((resolve) => {
      void consumer.run({
        eachMessage: async ({ message }) => {
          received.push({ key: String(message.key), value: String(message.value) });
          if (received.length === sent.length) resolve();
        },
      });
    });
    await allReceived;
    await consumer.disconnect();

    const byKey = (messages: { key: string; value: string }[], key: string) =>
      messages.filter((m) => m.key === key).map((m) => m.value);
    for (const key of new Set(sent.map((m) => m.key))) expect(byKey(received, key)).toEqual(byKey(sent, key));
    expect(received).toHaveLength(sent.length);
  });

  it('creates a topic on first use', async () => {
    const topic = `${prefix}auto-created`;
    const producer = kafka.producer({ allowAutoTopicCreation: true });
    await producer.connect();
    await producer.send({ topic, messages: [{ value: 'hello' }] });
    await producer.disconnect();
    expect(await admin.listTopics()).toContain(topic);
  });
});
