/**
 * `pnpm bench:ingest`: webhook requests/s (single events and 100-event batches) and consumer
 * appends/s, each beside a baseline measured in the same run on the same broker and server.
 * Uses KAFKA_BROKERS / DATABASE_URL when set, otherwise provisions both like the tests do.
 * Not a test: it prints figures (and a JSON line) and fails only when something breaks.
 *
 * Knobs: BENCH_ONLY=webhook|consumer runs one part; BENCH_DURATION_SECONDS and BENCH_CONNECTIONS
 * shape the webhook loads; BENCH_CONSUMER_EVENTS (default 100,000) sizes the consumer's topic.
 * BENCH_RATE=<events/s>: the consumer at a live tail instead of on a full topic: it subscribes to
 * an empty topic and BENCH_CONSUMER_EVENTS (default 20,000 then) are published at that rate in
 * sends of 20 by a child process, so batches are as small as bench:pipeline's make them. Reported:
 * CPU per event of the consumer process and of its PostgreSQL backends (compare these between
 * changes, not wall time: the machine is shared), batches, and how long an event took from being
 * sent to being stored. BENCH_FETCH=<minBytes>,<maxWaitTimeMs> overrides the consumer's fetch
 * settings (INGEST_CONSUMER_SETTINGS) for that run, to compare them.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { cpus } from 'node:os';
import { fileURLToPath } from 'node:url';
import { topics as topicNames } from '@leadscore/contracts';
import { createKafkaBus } from '@leadscore/kafka';
import { createLogger, createPool, hashApiKey, runMigrations } from '@leadscore/platform';
import pg from 'pg';
import { processCpuSeconds } from '../../../bench/support/process-cpu.js';
import { createScratchDatabase } from '../../../bench/support/scratch-database.js';
import { formatStageCost } from '../../../bench/support/stage-meter.js';
import { provisionBenchmarkInfrastructure } from '../../../tests/setup/provision.js';
import { ACTIVITY_PARTITIONS } from '../src/ingest-module.js';
import { activityMessagesOf, benchEvents } from './bench-events.js';
import { fillTopic, measureConsumer, measureLiveConsumer, measurePlainInsert } from './consumer-load.js';
import { loadBareProducer, loadWebhook } from './webhook-load.js';

const DURATION_SECONDS = Number(process.env.BENCH_DURATION_SECONDS ?? 10);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 64);
const RATE = Number(process.env.BENCH_RATE ?? 0);
const CONSUMER_EVENTS = Number(process.env.BENCH_CONSUMER_EVENTS ?? (RATE > 0 ? 20_000 : 100_000));
const API_KEY = `bench-${randomBytes(8).toString('hex')}`;
const logger = createLogger({ service: 'ingest', level: 'warn' });

const infrastructure = await provisionBenchmarkInfrastructure();
const brokers = infrastructure.kafkaBrokers;
const database = await createScratchDatabase(infrastructure.databaseUrl);
try {
  await runMigrations({ databaseUrl: database.url, logger });
  const only = process.env.BENCH_ONLY;
  const figures = {
    machine: machine(),
    ...(only === 'consumer' ? {} : await webhookFigures()),
    ...(only === 'webhook' || RATE > 0 ? {} : await consumerFigures()),
  };
  printFigures(figures);
  if (only !== 'webhook' && RATE > 0) await liveConsumerFigures();
} finally {
  await database.drop();
  await infrastructure.teardown();
}

async function webhookFigures() {
  const prefix = `bench${randomBytes(4).toString('hex')}.`;
  const topics = topicNames(prefix);
  const baselineTopic = `${prefix}bench.bare-producer`;
  const bus = createKafkaBus({ brokers, clientId: 'bench-setup', logger });
  await bus.ensureTopics([{ name: baselineTopic, partitions: ACTIVITY_PARTITIONS }]);
  await bus.close();

  const events = benchEvents(20_000, 2_000, 'web');
  const singleBodies = events.map((event) => JSON.stringify(event));
  const batchBodies = Array.from({ length: 200 }, (_, b) =>
    JSON.stringify({ events: events.slice(b * 100, b * 100 + 100) }),
  );
  const messages = activityMessagesOf(events, new Date());

  const server = await startWebhookServer(prefix);
  try {
    const webhook = (bodies: string[], eventsPerRequest: number, durationSeconds = DURATION_SECONDS) =>
      withServerCpu(server.pid, () =>
        loadWebhook({
          url: server.url,
          apiKey: API_KEY,
          bodies,
          eventsPerRequest,
          connections: CONNECTIONS,
          durationSeconds,
        }),
      );
    const bare = (messagesPerSend: number) =>
      loadBareProducer({
        brokers,
        topic: baselineTopic,
        messages,
        messagesPerSend,
        concurrency: CONNECTIONS,
        durationSeconds: DURATION_SECONDS,
      });

    await webhook(singleBodies, 1, 3); // warm-up: JIT, connections, producer
    const single = await webhook(singleBodies, 1);
    const singleBaseline = await bare(1);
    const batch = await webhook(batchBodies, 100);
    const batchBaseline = await bare(100);
    return { topic: topics.activity, single, singleBaseline, batch, batchBaseline };
  } finally {
    await server.stop();
  }
}

/** Activity topics of their own (and their prefix) for one consumer measurement. */
async function activityTopics() {
  const topicPrefix = `bench${randomBytes(4).toString('hex')}.`;
  const topics = topicNames(topicPrefix);
  const bus = createKafkaBus({ brokers, clientId: 'bench-setup', logger });
  await bus.ensureTopics([
    { name: topics.activity, partitions: ACTIVITY_PARTITIONS },
    { name: topics.activityDlq },
  ]);
  await bus.close();
  return { topicPrefix, topics };
}

/** The pool the measured consumer appends through, told apart by its application name. */
function consumerPool(applicationName: string) {
  return createPool({
    connectionString: database.url,
    applicationName,
    max: 10,
    statementTimeoutMs: 0,
    logger,
  });
}

async function consumerFigures() {
  const { topics } = await activityTopics();
  const messages = activityMessagesOf(benchEvents(CONSUMER_EVENTS, 5_000, 'append'), new Date());
  await fillTopic(brokers, topics.activity, messages);

  const pool = consumerPool('bench');
  try {
    const appended = await measureConsumer({ brokers, pool, topics, expected: messages.length, logger });
    const rows = messages.map(({ key, value }) => {
      const parsed = JSON.parse(value) as { id: string; type: string; occurredAt: string };
      return {
        streamId: `lead-${key}`,
        eventId: `plain-${parsed.id}`,
        type: parsed.type,
        data: value,
        occurredAt: parsed.occurredAt,
      };
    });
    const plain = await measurePlainInsert({
      pool,
      rows,
      batchSize: Math.ceil(appended.events / appended.batches),
    });
    return { appended, plainInsert: plain };
  } finally {
    await pool.end();
  }
}

/** BENCH_RATE: the consumer at a live tail, CPU per event of this process and of its backends. */
async function liveConsumerFigures() {
  const { topicPrefix, topics } = await activityTopics();
  const applicationName = 'ingest-bench-consumer';
  const pool = consumerPool(applicationName);
  const meterDb = new pg.Pool({ connectionString: database.url, max: 1 });
  try {
    const live = await measureLiveConsumer({
      brokers,
      pool,
      meterDb,
      database: database.name,
      applicationName,
      topics,
      topicPrefix,
      rate: RATE,
      events: CONSUMER_EVENTS,
      logger,
    });
    const { cost, batches, idle, delayMs } = live;
    const lines = [
      formatStageCost(`consumer appends, live at ${RATE} events/s (sends of 20)`, cost),
      `  ${batches} batches, ${(cost.events / batches).toFixed(1)} events per batch`,
      `  sent -> stored: p50 ${delayMs.p50} ms, p99 ${delayMs.p99} ms, max ${delayMs.max} ms`,
      `  idle: process ${idle.processCpuPercent.toFixed(1)}% of a core, PostgreSQL backends ${idle.backendCpuPercent.toFixed(1)}%`,
    ];
    process.stdout.write(
      `${lines.join('\n')}\n${JSON.stringify({ bench: 'ingest-live', rate: RATE, ...live })}\n`,
    );
  } finally {
    await meterDb.end();
    await pool.end();
  }
}

/** The real service (services/ingest/src/main.ts) in its own process, webhook only, logs at warn. */
async function startWebhookServer(prefix: string) {
  const port = 20_000 + Math.floor(Math.random() * 20_000);
  const main = fileURLToPath(new URL('../src/main.ts', import.meta.url));
  // BENCH_CPU_PROF_DIR: write a V8 CPU profile of the service there (read its top self times).
  const profile = process.env.BENCH_CPU_PROF_DIR;
  const profileArgs = profile ? ['--cpu-prof', `--cpu-prof-dir=${profile}`] : [];
  const child = spawn(process.execPath, [...profileArgs, '--import', 'tsx', main], {
    env: {
      ...process.env,
      NODE_ENV: 'production',
      LOG_LEVEL: 'warn',
      HOST: '127.0.0.1',
      PORT: String(port),
      DATABASE_URL: database.url,
      KAFKA_BROKERS: brokers.join(','),
      TOPIC_PREFIX: prefix,
      INGEST_API_KEYS: `bench:${hashApiKey(API_KEY).toString('hex')}:ingest`,
      INGEST_RATE_LIMIT_PER_SECOND: '1000000',
      INGEST_RATE_LIMIT_BURST: '1000000',
      INGEST_RUN_CONSUMER: 'false',
    },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  const exited = once(child, 'exit');
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null)
      throw new Error(`the ingest service exited with ${child.exitCode} while starting`);
    const ready = await fetch(`${url}/readyz`).then(
      (response) => response.ok,
      () => false,
    );
    if (ready) break;
    if (Date.now() > deadline) throw new Error('the ingest service was not ready within 60 s');
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return {
    url,
    pid: child.pid ?? 0,
    async stop() {
      child.kill('SIGTERM');
      await exited;
    },
  };
}

/** Runs a load and adds the server's CPU time per request (and per event) to its result. */
async function withServerCpu<T extends { requestsPerSecond: number; eventsPerSecond: number }>(
  pid: number,
  load: () => Promise<T>,
) {
  const cpuBefore = processCpuSeconds(pid);
  const started = performance.now();
  const result = await load();
  const seconds = (performance.now() - started) / 1000;
  const cpu = processCpuSeconds(pid) - cpuBefore;
  return {
    ...result,
    serverCpuMsPerRequest: (cpu * 1000) / (result.requestsPerSecond * seconds),
    serverCpuUsPerEvent: (cpu * 1e6) / (result.eventsPerSecond * seconds),
  };
}

function machine() {
  return { cores: cpus().length, cpu: cpus()[0]?.model ?? 'unknown', node: process.version };
}

interface Load {
  requestsPerSecond: number;
  eventsPerSecond: number;
  latencyP99Ms: number;
  errors: number;
  outcomes?: Readonly<Record<string, number>>;
}

interface ServerLoad extends Load {
  serverCpuMsPerRequest: number;
  serverCpuUsPerEvent: number;
}

function printFigures(figures: {
  machine: ReturnType<typeof machine>;
  single?: ServerLoad;
  singleBaseline?: Load;
  batch?: ServerLoad;
  batchBaseline?: Load;
  appended?: {
    eventsPerSecond: number;
    events: number;
    batches: number;
    wallSeconds: number;
    consumerCpuUsPerEvent: number;
  };
  plainInsert?: { eventsPerSecond: number };
}) {
  const n = (value: number) => Math.round(value).toLocaleString('en-US');
  const ms = (value: number) => value.toFixed(1);
  const failures = (load: Load) =>
    load.errors === 0 ? '0 errors' : `${load.errors} errors: ${JSON.stringify(load.outcomes)}`;
  const { machine: m, single, singleBaseline, batch, batchBaseline, appended, plainInsert } = figures;
  const lines = [
    `machine: ${m.cores} cores, ${m.cpu}, node ${m.node}; ${CONNECTIONS} connections, ${DURATION_SECONDS} s per run`,
  ];
  if (single && singleBaseline) {
    lines.push(
      `webhook, single event: ${n(single.requestsPerSecond)} req/s (p99 ${ms(single.latencyP99Ms)} ms, ${failures(single)}); target >= 5,000`,
      `  service CPU ${ms(single.serverCpuMsPerRequest * 1000)} us per request = ${n(1000 / single.serverCpuMsPerRequest)} req/s per fully available core`,
      `  baseline, bare kafkajs producer, 1 message per send: ${n(singleBaseline.requestsPerSecond)} sends/s (p99 ${ms(singleBaseline.latencyP99Ms)} ms)`,
    );
  }
  if (batch && batchBaseline) {
    lines.push(
      `webhook, 100-event batches: ${n(batch.eventsPerSecond)} events/s = ${n(batch.requestsPerSecond)} req/s (p99 ${ms(batch.latencyP99Ms)} ms, ${failures(batch)}); target >= 40,000`,
      `  service CPU ${ms(batch.serverCpuUsPerEvent)} us per event = ${n(1e6 / batch.serverCpuUsPerEvent)} events/s per fully available core`,
      `  baseline, bare kafkajs producer, 100 messages per send: ${n(batchBaseline.eventsPerSecond)} events/s (p99 ${ms(batchBaseline.latencyP99Ms)} ms)`,
    );
  }
  if (appended && plainInsert) {
    lines.push(
      `consumer appends: ${n(appended.eventsPerSecond)} events/s (${n(appended.events)} events, ${appended.batches} batches, ${appended.wallSeconds.toFixed(1)} s with group join); target >= 20,000`,
      `  consumer process CPU ${ms(appended.consumerCpuUsPerEvent)} us per event (PostgreSQL's CPU not included)`,
      `  baseline, plain multi-row INSERT of the same rows, same batch size: ${n(plainInsert.eventsPerSecond)} events/s`,
    );
  }
  process.stdout.write(`${lines.join('\n')}\n${JSON.stringify(figures)}\n`);
}
