import { expect, it } from 'vitest';
import { leadStreamId } from '../../packages/contracts/src/index.js';
import { kafkaBrokers } from '../support/infra.js';
import { eventually, idsByStream, storedEvents } from './support/activity-events.js';
import { INGEST_KEY } from './support/ingest-harness.js';
import { readMessages } from './support/kafka-topics.js';
import { useIngest } from './support/use-ingest.js';
import { postEvents } from './support/webhook-client.js';

const { ingest } = useIngest();

const visit = (id: string, lead: string) => ({
  id,
  type: 'page.visited',
  lead: { id: lead },
  occurredAt: '2026-03-02T10:00:00Z',
  properties: { url: '/pricing' },
});

async function metricTotal(name: string): Promise<number> {
  const metric = await ingest().metrics.getSingleMetric(name)?.get();
  return metric?.values.reduce((sum, sample) => sum + sample.value, 0) ?? 0;
}

const post = async (body: unknown) =>
  postEvents(ingest().url, JSON.stringify(body), { apiKey: INGEST_KEY, contentType: 'application/json' });

it("an event whose id already names another lead's event goes to the DLQ, not nowhere; a resend is stored once", async () => {
  expect((await post(visit('shared-1', 'lead-a'))).status).toBe(202);
  await eventually(
    async () => (await storedEvents(ingest().pool)).length === 1,
    async () => `${(await storedEvents(ingest().pool)).length} of 1 event stored`,
  );
  // The sender reuses the id for another lead, and resends the first event as it was.
  expect((await post({ events: [visit('shared-1', 'lead-b'), visit('other-1', 'lead-b')] })).status).toBe(
    202,
  );
  expect((await post(visit('shared-1', 'lead-a'))).status).toBe(202);

  const [dead] = await readMessages(kafkaBrokers(), ingest().topics.activityDlq, 1);
  expect(dead?.headers['x-dlq-reason']).toBe('id-conflict');
  expect(dead?.headers['x-dlq-error']).toContain(
    `shared-1 already names an event of ${leadStreamId('lead-a')}`,
  );
  expect(JSON.parse(String(dead?.value)).lead).toEqual({ id: 'lead-b' });
  await eventually(
    async () => (await storedEvents(ingest().pool)).length === 2,
    async () => `${(await storedEvents(ingest().pool)).length} of 2 events stored`,
  );
  // The resend is counted as already stored, not dead-lettered.
  await eventually(
    async () => (await metricTotal('leadscore_ingest_events_already_stored_total')) === 1,
    async () => `${await metricTotal('leadscore_ingest_events_already_stored_total')} of 1 resend seen`,
  );
  expect(await metricTotal('leadscore_ingest_dlq_messages_total')).toBe(1);
  expect(idsByStream(await storedEvents(ingest().pool))).toEqual(
    new Map([
      [leadStreamId('lead-a'), ['shared-1']],
      [leadStreamId('lead-b'), ['other-1']],
    ]),
  );
});

it('an event whose id already names another event of the same lead goes to the DLQ too; the stored one stays', async () => {
  expect((await post(visit('same-1', 'lead-c'))).status).toBe(202);
  await eventually(
    async () => idsByStream(await storedEvents(ingest().pool)).has(leadStreamId('lead-c')),
    async () => 'lead-c not stored',
  );
  // Another event under the stored id (another type), then the stored one resent as it was.
  expect((await post({ ...visit('same-1', 'lead-c'), type: 'email.clicked' })).status).toBe(202);
  expect((await post(visit('same-1', 'lead-c'))).status).toBe(202);

  const dead = await readMessages(kafkaBrokers(), ingest().topics.activityDlq, 2);
  const sameLead = dead.find((message) => String(message.headers['x-dlq-error']).includes('same-1'));
  expect(sameLead?.headers['x-dlq-reason']).toBe('id-conflict');
  expect(sameLead?.headers['x-dlq-error']).toContain(
    `same-1 already names another event of ${leadStreamId('lead-c')}`,
  );
  expect(JSON.parse(String(sameLead?.value)).type).toBe('email.clicked');
  await eventually(
    async () => (await metricTotal('leadscore_ingest_events_already_stored_total')) === 2,
    async () => `${await metricTotal('leadscore_ingest_events_already_stored_total')} of 2 resends seen`,
  );
  expect(await metricTotal('leadscore_ingest_dlq_messages_total')).toBe(2);
  const { rows } = await ingest().pool.query('SELECT type FROM eventstore.messages WHERE event_id = $1', [
    'same-1',
  ]);
  expect(rows).toEqual([{ type: 'page.visited' }]);
});
