import pg from 'pg';
import { afterAll, expect, inject, it } from 'vitest';
import {
  eventually,
  idsByStream,
  makeActivityEvents,
  storedCount,
  storedEvents,
} from './support/activity-events.js';
import { INGEST_KEY } from './support/ingest-harness.js';
import { useIngest } from './support/use-ingest.js';
import { postEvents } from './support/webhook-client.js';

const { database, ingest } = useIngest();

afterAll(async () => {
  await setConnectionsAllowed(true);
});

/** A real outage of the test's own database: refuse new connections and cut the open ones. */
async function setConnectionsAllowed(allowed: boolean): Promise<void> {
  const admin = new pg.Client({ connectionString: inject('databaseUrl') });
  await admin.connect();
  try {
    await admin.query(`ALTER DATABASE ${database().name} ALLOW_CONNECTIONS ${allowed}`);
    if (!allowed) {
      await admin.query(
        'SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()',
        [database().name],
      );
    }
  } finally {
    await admin.end();
  }
}

async function batchFailures(): Promise<number> {
  const metric = await ingest().metrics.getSingleMetric('leadscore_ingest_batch_failures_total')?.get();
  return metric?.values.reduce((sum, sample) => sum + sample.value, 0) ?? 0;
}

async function post(events: readonly unknown[]): Promise<string[]> {
  const response = await postEvents(ingest().url, JSON.stringify({ events }), {
    apiKey: INGEST_KEY,
    contentType: 'application/json',
  });
  expect(response.status).toBe(202);
  return response.body.ids as string[];
}

it('a database outage pauses storing; afterwards every event accepted meanwhile is stored once', {
  timeout: 120_000,
}, async () => {
  const events = makeActivityEvents(600, 20, 'outage');
  const before = await post(events.slice(0, 200));
  await eventually(
    async () => (await storedCount(ingest().pool)) === 200,
    async () => `${await storedCount(ingest().pool)} of 200 stored before the outage`,
  );

  await setConnectionsAllowed(false);
  // The webhook only needs Kafka: it keeps accepting while the store is down.
  const during = [...(await post(events.slice(200, 400))), ...(await post(events.slice(400, 600)))];
  await eventually(
    async () => (await batchFailures()) >= 2,
    async () => `${await batchFailures()} failed batches seen during the outage`,
  );

  await setConnectionsAllowed(true);
  await eventually(
    async () => (await storedCount(ingest().pool).catch(() => 0)) === 600,
    async () => `${await storedCount(ingest().pool)} of 600 stored after the outage`,
  );
  const rows = await storedEvents(ingest().pool);
  expect(rows).toHaveLength(600);
  expect(new Set(rows.map((row) => row.eventId))).toEqual(new Set([...before, ...during]));
  for (const ids of idsByStream(rows).values()) {
    const positions = ids.map((id) => [...before, ...during].indexOf(id));
    expect(positions).toEqual([...positions].sort((a, b) => a - b));
  }
});
