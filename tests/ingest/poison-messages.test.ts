import { Kafka, logLevel } from 'kafkajs';
import { expect, it } from 'vitest';
import { emailLeadId, leadStreamId } from '../../packages/contracts/src/index.js';
import { kafkaBrokers } from '../support/infra.js';
import { eventually, idsByStream, storedCount, storedEvents } from './support/activity-events.js';
import { readMessages } from './support/kafka-topics.js';
import { useIngest } from './support/use-ingest.js';

const { ingest } = useIngest();

const leadKey = emailLeadId('grace@example.com');

function activity(id: string, overrides: Record<string, unknown> = {}): string {
  return JSON.stringify({
    id,
    type: 'page.visited',
    lead: { email: 'grace@example.com' },
    occurredAt: '2026-03-02T10:00:00Z',
    receivedAt: '2026-03-02T10:00:01Z',
    properties: { url: '/pricing' },
    ...overrides,
  });
}

it('poison messages go to the DLQ with reasons while the good ones around them are stored', async () => {
  const sent = [
    { key: leadKey, value: activity('good-1') },
    { key: leadKey, value: '{"id": "broken", "type": ' },
    { key: leadKey, value: activity('good-2') },
    { key: leadKey, value: activity('wrong-schema', { type: 'email.open', occurredAt: 'yesterday' }) },
    { key: leadKey, value: activity('good-3') },
    { key: 'no spaces allowed in lead keys', value: activity('bad-key') },
    { key: leadKey, value: activity('good-4'), headers: { 'x-trace': 'kept' } },
    { key: 'someone-else', value: activity('foreign-key') },
  ];
  const producer = new Kafka({
    clientId: 'poison-test',
    brokers: kafkaBrokers(),
    logLevel: logLevel.NOTHING,
  }).producer();
  await producer.connect();
  // One partition, one request: the poison sits between good messages in a single batch.
  const [metadata] = await producer.send({
    topic: ingest().topics.activity,
    acks: -1,
    messages: sent.map((message) => ({ ...message, partition: 0 })),
  });
  await producer.disconnect();
  const baseOffset = Number(metadata?.baseOffset);

  await eventually(
    async () => (await storedCount(ingest().pool)) >= 4,
    async () => `${await storedCount(ingest().pool)} of 4 good events stored`,
  );
  // Dead letters keep the original key, so they spread over the DLQ's partitions: order is
  // defined per key only. Compare them in source order.
  const dead = (await readMessages(kafkaBrokers(), ingest().topics.activityDlq, 4)).sort(
    (a, b) => Number(a.headers['x-dlq-source-offset']) - Number(b.headers['x-dlq-source-offset']),
  );

  expect(idsByStream(await storedEvents(ingest().pool))).toEqual(
    new Map([[leadStreamId(leadKey), ['good-1', 'good-2', 'good-3', 'good-4']]]),
  );
  expect(
    dead.map((message) => ({
      reason: message.headers['x-dlq-reason'],
      sourceTopic: message.headers['x-dlq-source-topic'],
      sourcePartition: message.headers['x-dlq-source-partition'],
      sourceOffset: Number(message.headers['x-dlq-source-offset']),
      key: message.key,
      value: message.value.toString(),
    })),
  ).toEqual([
    { reason: 'invalid-json', ...source(1), key: leadKey, value: sent[1]?.value },
    { reason: 'invalid-event', ...source(3), key: leadKey, value: sent[3]?.value },
    { reason: 'invalid-lead-key', ...source(5), key: sent[5]?.key, value: sent[5]?.value },
    { reason: 'invalid-lead-key', ...source(7), key: sent[7]?.key, value: sent[7]?.value },
  ]);
  expect(dead[1]?.headers['x-dlq-error']).toMatch(/type: unknown event type.*occurredAt: /);

  const metrics = await ingest().metrics.metrics();
  expect(metrics).toMatch(/leadscore_ingest_dlq_messages_total\{reason="invalid-lead-key"[^}]*\} 2/);
  expect(metrics).toMatch(/leadscore_ingest_events_appended_total\{[^}]*\} 4/);

  function source(index: number) {
    return { sourceTopic: ingest().topics.activity, sourcePartition: '0', sourceOffset: baseOffset + index };
  }
});

it('keeps the original headers on the dead letter', async () => {
  const producer = new Kafka({
    clientId: 'poison-test',
    brokers: kafkaBrokers(),
    logLevel: logLevel.NOTHING,
  }).producer();
  await producer.connect();
  await producer.send({
    topic: ingest().topics.activity,
    acks: -1,
    messages: [{ key: leadKey, value: 'not json', headers: { 'x-trace': 'trace-77' }, partition: 1 }],
  });
  await producer.disconnect();
  const dead = await readMessages(kafkaBrokers(), ingest().topics.activityDlq, 5);
  const last = dead.find((message) => message.value.toString() === 'not json');
  expect(last?.headers).toMatchObject({ 'x-trace': 'trace-77', 'x-dlq-reason': 'invalid-json' });
});
