import { Kafka, logLevel } from 'kafkajs';
import { expect, it } from 'vitest';
import { kafkaBrokers } from '../support/infra.js';
import { INGEST_KEY } from './support/ingest-harness.js';
import { useIngest } from './support/use-ingest.js';
import { postEvents } from './support/webhook-client.js';

const { ingest } = useIngest({ env: { INGEST_RUN_CONSUMER: 'false' } });

it('answers 503 problem+json and claims nothing when Kafka cannot take the events', {
  timeout: 90_000,
}, async () => {
  // The broker stays up but the activity topic is gone (and is not auto-created): every produce fails.
  const admin = new Kafka({
    clientId: 'ingest-test-admin',
    brokers: kafkaBrokers(),
    logLevel: logLevel.NOTHING,
  }).admin();
  await admin.connect();
  await admin.deleteTopics({ topics: [ingest().topics.activity] });
  await admin.disconnect();

  const response = await postEvents(
    ingest().url,
    JSON.stringify({ type: 'email.opened', lead: { id: 'lead-503' }, occurredAt: '2026-03-03T08:00:00Z' }),
    { apiKey: INGEST_KEY, contentType: 'application/json' },
  );

  expect(response.status).toBe(503);
  expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  expect(response.headers.get('retry-after')).toBe('5');
  expect(response.body).toMatchObject({
    status: 503,
    detail: expect.stringContaining('nothing was accepted'),
  });
  expect(response.body).not.toHaveProperty('ids');
  const metrics = await ingest().metrics.metrics();
  expect(metrics).toMatch(/leadscore_ingest_requests_refused_total\{reason="kafka-unavailable"[^}]*\} 1/);
  expect(metrics).toMatch(/leadscore_ingest_events_accepted_total\{[^}]*\} 0/);
});
