/**
 * Store-level append throughput: appendToStreams in consumer-sized batches, beside a plain
 * multi-row INSERT of the same events into a bare table, interleaved batch by batch so both see
 * the same machine load. Runs on a throwaway database of the server at DATABASE_URL.
 *
 *   DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres npx tsx packages/eventstore/bench/append.bench.ts
 *   (BATCH=events per call, LEADS=distinct streams, ROUNDS=batches of each kind)
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { createLogger, runMigrations } from '../../platform/src/index.js';
import { appendToStreams, type NewEvent, type StreamAppend } from '../src/index.js';

const adminUrl = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const batchSize = Number(process.env.BATCH ?? 500);
const leads = Number(process.env.LEADS ?? 2_000);
const rounds = Number(process.env.ROUNDS ?? 60);

let sequence = 0;
function nextBatch(): StreamAppend[] {
  const byStream = new Map<string, NewEvent[]>();
  for (let i = 0; i < batchSize; i += 1) {
    sequence += 1;
    const streamId = `lead-L${(sequence * 7_919) % leads}`;
    const events = byStream.get(streamId) ?? [];
    events.push({
      id: `evt_${randomBytes(16).toString('hex')}`,
      type: 'page.visited',
      data: {
        email: 'ann@example.com',
        source: { utmSource: 'newsletter', utmCampaign: 'spring' },
        properties: { url: 'https://example.com/pricing', title: 'Pricing' },
      },
      metadata: { receivedAt: new Date().toISOString() },
      occurredAt: new Date(),
    });
    byStream.set(streamId, events);
  }
  return [...byStream].map(([streamId, events]) => ({ streamId, events }));
}

const plainInsertSql = `INSERT INTO plain_events (stream_id, event_id, type, data, occurred_at)
  SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::jsonb[], $5::timestamptz[])`;

async function insertPlain(pool: pg.Pool, batch: StreamAppend[]): Promise<void> {
  const rows = batch.flatMap(({ streamId, events }) => events.map((event) => ({ streamId, event })));
  await pool.query(plainInsertSql, [
    rows.map((row) => row.streamId),
    rows.map((row) => row.event.id),
    rows.map((row) => row.event.type),
    rows.map((row) => JSON.stringify(row.event.data)),
    rows.map((row) => row.event.occurredAt.toISOString()),
  ]);
}

const databaseName = `esbench_${randomBytes(4).toString('hex')}`;
const admin = new pg.Client({ connectionString: adminUrl });
await admin.connect();
await admin.query(`CREATE DATABASE ${databaseName}`);
const url = new URL(adminUrl);
url.pathname = `/${databaseName}`;
const pool = new pg.Pool({ connectionString: url.toString(), max: 2 });
// DROP DATABASE ... WITH (FORCE) at the end terminates connections the pool is still closing.
pool.on('error', () => {});
try {
  await runMigrations({
    databaseUrl: url.toString(),
    logger: createLogger({ service: 'bench', level: 'silent' }),
  });
  await pool.query(`CREATE TABLE plain_events (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    stream_id text, event_id text UNIQUE, type text, data jsonb, occurred_at timestamptz)`);
  let storeMs = 0;
  let plainMs = 0;
  for (let round = 0; round < rounds; round += 1) {
    const forStore = nextBatch();
    const forPlain = nextBatch();
    let started = performance.now();
    await appendToStreams(pool, forStore);
    storeMs += performance.now() - started;
    started = performance.now();
    await insertPlain(pool, forPlain);
    plainMs += performance.now() - started;
  }
  const events = rounds * batchSize;
  const perSecond = (ms: number) => Math.round(events / (ms / 1_000));
  process.stdout.write(
    `batch ${batchSize}, ${leads} leads, ${events} events each: appendToStreams ${perSecond(storeMs)} events/s, ` +
      `plain multi-row INSERT ${perSecond(plainMs)} rows/s (baseline)\n`,
  );
} finally {
  await pool.end();
  await admin.query(`DROP DATABASE ${databaseName} WITH (FORCE)`);
  await admin.end();
}
