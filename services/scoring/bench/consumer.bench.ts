/**
 * `pnpm bench:scoring`: the scoring consumer alone. BENCH_EVENTS lead events (default 50,000,
 * five per lead as bench:pipeline's load sends them: every event changes the score) are stored
 * as the ingest consumer stores them and relayed to a fresh lead-events topic, untimed. Then the
 * scoring consumer, as the scoring service runs it (same consumer settings, group, ruleset), is timed
 * from subscribing until every lead is scored at its last event and the outbox is empty (every
 * score change published and acknowledged).
 *
 * BENCH_RATE=<events/s>: the live tail instead. The scoring service runs in its own process (as
 * production runs it) on an empty topic; the events are then stored at that rate and relayed as
 * they commit, so batches are as small as a steady load makes them, and the figures are the
 * service's CPU per event at that rate and how soon after the last event it caught up.
 *
 * Reported: events/s, and CPU per event of this process (scoring, its pg and kafkajs clients)
 * and of its PostgreSQL backends. Compare CPU, not wall time, between changes: the machine is
 * shared. Uses KAFKA_BROKERS / DATABASE_URL when set, otherwise provisions both like the tests do.
 */
import { randomBytes } from 'node:crypto';
import { topics as topicNames } from '@leadscore/contracts';
import { leadEventsRoute, startRelay } from '@leadscore/eventstore';
import { createKafkaBus } from '@leadscore/kafka';
import { createLogger, createMetricsRegistry, createPool, runMigrations } from '@leadscore/platform';
import { ensureDefaultRuleset, storedRulesets } from '@leadscore/rulesets';
import pg from 'pg';
import { untilSubscriberCaughtUp } from '../../../bench/support/relay-progress.js';
import { createScratchDatabase } from '../../../bench/support/scratch-database.js';
import { formatStageCost, type StageCost, StageMeter } from '../../../bench/support/stage-meter.js';
import { EVENTS_PER_LEAD, storeLeadEvents } from '../../../bench/support/stored-lead-events.js';
import { freeLoopbackPort } from '../../../tests/setup/free-port.js';
import { provisionBenchmarkInfrastructure } from '../../../tests/setup/provision.js';
import { ServiceProcess, waitUntilAnswering } from '../../../tests/support/service-process.js';
import { messagesOnTopic } from '../../../tests/support/topic-messages.js';
import { startScoringConsumer } from '../src/consumer/scoring-consumer.js';
import { createScoringMetrics } from '../src/metrics.js';
import { storedActiveRuleset } from '../src/rulesets/stored-active-ruleset.js';
import { LEAD_TOPIC_PARTITIONS, SCORING_CONSUMER_SETTINGS } from '../src/scoring-module.js';

const EVENTS = Number(process.env.BENCH_EVENTS ?? 50_000);
const RATE = Number(process.env.BENCH_RATE ?? 0);
const IDLE_SECONDS = 5;
const LEADS = Math.ceil(EVENTS / EVENTS_PER_LEAD);
const APPLICATION_NAME = 'leadscore-scoring-bench';
const print = (line = '') => process.stdout.write(`${line}\n`);
const logger = createLogger({ service: 'scoring-bench', level: 'warn' });

const infrastructure = await provisionBenchmarkInfrastructure();
const brokers = infrastructure.kafkaBrokers;
const database = await createScratchDatabase(infrastructure.databaseUrl);
const topicPrefix = `sbench${randomBytes(4).toString('hex')}.`;
const topics = topicNames(topicPrefix);
const pool = createPool({
  connectionString: database.url,
  applicationName: APPLICATION_NAME,
  max: 10,
  statementTimeoutMs: 0,
  logger,
});
// Fills the topic, polls and samples CPU apart from the scorer's pool: none of it is scoring.
const setup = new pg.Pool({ connectionString: database.url, max: 6 });
const setupBus = createKafkaBus({ brokers, clientId: 'scoring-bench-setup', logger });
const stored = { events: EVENTS, waveSize: 2_000, eventsPerAppend: 100 };
const routes = [leadEventsRoute({ topic: topics.leadEvents })];
const bus = createKafkaBus({
  brokers,
  clientId: 'scoring-bench',
  logger,
  consumer: SCORING_CONSUMER_SETTINGS,
});
try {
  await runMigrations({ databaseUrl: database.url, logger });
  await ensureDefaultRuleset(setup);
  await setupBus.ensureTopics([
    { name: topics.leadEvents, partitions: LEAD_TOPIC_PARTITIONS },
    { name: topics.scoreChanged, partitions: LEAD_TOPIC_PARTITIONS },
    { name: topics.alerts },
  ]);
  const cost = RATE > 0 ? await measureLiveTail() : await measureBacklog();
  const scoreChanges = await messagesOnTopic(brokers, topics.scoreChanged);
  const mode = RATE > 0 ? `live at ${RATE} events/s, scoring service process` : 'backlog, in process';
  print(formatStageCost(`scoring consumer (lead-events -> lead_scores, score-changed; ${mode})`, cost));
  print(`  score changes published: ${scoreChanges}`);
  print(JSON.stringify({ bench: 'scoring', rate: RATE, ...cost, scoreChanges }));
} finally {
  await bus.close();
  await setupBus.close();
  await pool.end();
  await setup.end();
  await database.drop();
  await infrastructure.teardown();
}

/** The whole topic written first, then consumed by the scorer in this process. */
async function measureBacklog(): Promise<StageCost> {
  await storeLeadEvents(setup, { ...stored, tag: 'backlog' });
  const relay = await startRelay({ pool: setup, bus: setupBus, routes });
  await untilSubscriberCaughtUp(setup, 'relay');
  await relay.stop();

  const meter = await StageMeter.start(setup, database.name, APPLICATION_NAME);
  const subscription = await startScoringConsumer({
    bus,
    pool,
    topics,
    topicPrefix,
    ruleset: storedActiveRuleset(storedRulesets()),
    logger,
    metrics: createScoringMetrics(createMetricsRegistry('scoring-bench')),
    now: Date.now,
  });
  await untilEveryLeadScoredAndPublished(setup);
  const cost = await meter.stop(EVENTS);
  await subscription.stop();
  return cost;
}

/**
 * Events stored at RATE and relayed as they commit, consumed by the scoring service in its own
 * process: batches are as small as the live tail makes them, which is what the pipeline sees.
 */
async function measureLiveTail(): Promise<StageCost> {
  const port = await freeLoopbackPort();
  const scoring = new ServiceProcess('scoring', {
    NODE_ENV: 'test',
    LOG_LEVEL: 'warn',
    HOST: '127.0.0.1',
    PORT: String(port),
    DATABASE_URL: database.url,
    KAFKA_BROKERS: brokers.join(','),
    TOPIC_PREFIX: topicPrefix,
    READINESS_TIMEOUT_MS: '10000',
  });
  try {
    await waitUntilAnswering(`http://127.0.0.1:${port}/readyz`, scoring, 90_000);
    // What the service costs doing nothing (fetch polls, heartbeats, rescoring's job polls):
    // the live figures include it for as long as the load lasts.
    const idle = await StageMeter.start(setup, database.name, 'leadscore-scoring', scoring.pid);
    await new Promise((resolve) => setTimeout(resolve, IDLE_SECONDS * 1000));
    const idleCost = await idle.stop(1);
    print(
      `  idle: process ${(idleCost.processCpuUsPerEvent / 1e4 / IDLE_SECONDS).toFixed(1)}% of a core, PostgreSQL backends ${(idleCost.backendCpuUsPerEvent / 1e4 / IDLE_SECONDS).toFixed(1)}%`,
    );
    const relay = await startRelay({ pool: setup, bus: setupBus, routes });
    const meter = await StageMeter.start(setup, database.name, 'leadscore-scoring', scoring.pid);
    await storeLeadEvents(setup, { ...stored, tag: 'live', eventsPerSecond: RATE });
    const lastStored = performance.now();
    await untilEveryLeadScoredAndPublished(setup);
    print(
      `  caught up ${((performance.now() - lastStored) / 1000).toFixed(2)} s after the last event was stored`,
    );
    const cost = await meter.stop(EVENTS);
    await relay.stop();
    const batches = await scoredBatches(`http://127.0.0.1:${port}/metrics`);
    print(`  ${batches} batches, ${(EVENTS / batches).toFixed(1)} events per batch`);
    return cost;
  } finally {
    await scoring.stop('SIGTERM', 20_000);
  }
}

/** Every lead's last event (load-plan step 4) is scored, and nothing waits in the outbox. */
async function untilEveryLeadScoredAndPublished(db: pg.Pool): Promise<void> {
  const lastStep = `%-s${EVENTS_PER_LEAD - 1}`;
  for (const deadline = Date.now() + 600_000; Date.now() < deadline; ) {
    const { rows } = await db.query<{ scored: number; unpublished: boolean }>(
      `SELECT (SELECT count(*)::int FROM lead_scores WHERE last_event_id LIKE $1) AS scored,
              EXISTS (SELECT 1 FROM scoring_outbox UNION ALL SELECT 1 FROM rescoring_outbox) AS unpublished`,
      [lastStep],
    );
    if (rows[0]?.scored === LEADS && !rows[0].unpublished) return;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error('the scoring consumer did not score and publish every event within 600 s');
}

/** Batches the service scored, from its own metrics (the batch duration histogram's count). */
async function scoredBatches(metricsUrl: string): Promise<number> {
  const text = await (await fetch(metricsUrl)).text();
  const count = /^leadscore_scoring_batch_duration_seconds_count(?:\{[^}]*\})? (\d+)/m.exec(text);
  if (!count) throw new Error('the scoring service reported no batch count');
  return Number(count[1]);
}
