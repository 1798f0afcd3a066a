/**
 * `pnpm bench:pipeline`: latency through the whole pipeline, the four services running as
 * production runs them (one process each) on real Kafka and PostgreSQL.
 *
 * 1. Steady load: BENCH_RATE events/s (default 2,000) for BENCH_DURATION_SECONDS (default 60), in
 *    webhook requests of BENCH_EVENTS_PER_REQUEST (default 20). Latency from the webhook's 202 to
 *    (a) the score visible in GET /v1/leads/{id} (about one event in BENCH_PROBE_EVERY is followed
 *    by polling every 5 ms) and (b) the stage change arriving on leadscore.stage-changed.v1
 *    (every fifth event moves a lead to MQL). BENCH_PLAN (load-plan.ts): `mixed` (default) spreads
 *    those events evenly over the load; `waves` sends them in bursts, a whole second's worth of
 *    leads at once every fifth second. The stage-changing events are also timed hop by hop, by
 *    listeners on leadscore.lead-events.v1 and leadscore.score-changed.v1; BENCH_HOPS=0 leaves
 *    them out (they read every message of both topics, about a fifth of the bench's own CPU).
 * 2. Baseline, same run: bare kafkajs produce -> consume, one hop, at the same rate and batch size.
 * 3. Sustained maximum: rising rates (BENCH_MAX_RATES, BENCH_STEP_SECONDS each); a rate is
 *    sustained when the webhook keeps the rate and the backlog (consumer lag on every topic, the
 *    relay's and the outbox's arrears) does not grow over the second half of the step.
 *
 * Before it all, BENCH_WARMUP_SECONDS (default 20) of the same load at half the rate, unmeasured.
 * The steady phase waits up to BENCH_DRAIN_SECONDS (default 1,200) for the pipeline to drain.
 * Uses KAFKA_BROKERS / DATABASE_URL when set, otherwise provisions both like the tests do.
 * Not a test: it prints figures (and a JSON line) and fails only when something breaks.
 */
import { randomBytes } from 'node:crypto';
import { cpus, loadavg } from 'node:os';
import pg from 'pg';
import { leadStreamId } from '../packages/contracts/src/index.js';
import { PipelineWatch, serviceGroups } from '../tests/e2e/support/quiescence.js';
import { KEYS, ServicePipeline } from '../tests/e2e/support/service-pipeline.js';
import { provisionBenchmarkInfrastructure } from '../tests/setup/provision.js';
import { stampTopicsOnAppend } from './pipeline/append-times.js';
import {
  cloudEventId,
  listenForArrivals,
  scoredEventId,
  triggeringEventId,
} from './pipeline/arrival-listener.js';
import { traceBacklog } from './pipeline/backlog-trace.js';
import { hopLatencies } from './pipeline/hop-latencies.js';
import { measureKafkaBaseline } from './pipeline/kafka-baseline.js';
import { formatLatency, LatencyRecorder } from './pipeline/latency.js';
import { loadPlanKind } from './pipeline/load-plan.js';
import { ScoreVisibility } from './pipeline/score-visibility.js';
import {
  BENCH_APPLICATION_NAME,
  formatMachineCpu,
  formatServiceCpu,
  startServiceCpu,
} from './pipeline/service-cpu.js';
import { runSteadyLoad } from './pipeline/steady-load.js';
import { measureSustainedRate, type StepResult } from './pipeline/sustained-rate.js';
import { startMachineCpu } from './support/machine-cpu.js';
import { BackendCpuTracker } from './support/postgres-backend-cpu.js';
import { createScratchDatabase } from './support/scratch-database.js';

const numberFrom = (name: string, fallback: number) => Number(process.env[name] ?? fallback);
const RATE = numberFrom('BENCH_RATE', 2_000);
const DURATION_SECONDS = numberFrom('BENCH_DURATION_SECONDS', 60);
const EVENTS_PER_REQUEST = numberFrom('BENCH_EVENTS_PER_REQUEST', 20);
const PROBE_EVERY = numberFrom('BENCH_PROBE_EVERY', 100);
const STEP_SECONDS = numberFrom('BENCH_STEP_SECONDS', 20);
const DRAIN_SECONDS = numberFrom('BENCH_DRAIN_SECONDS', 1_200);
const WARMUP_SECONDS = numberFrom('BENCH_WARMUP_SECONDS', 20);
const HOPS = process.env.BENCH_HOPS !== '0';
const MAX_RATES = (process.env.BENCH_MAX_RATES ?? '2000,3500,5000,7000').split(',').map(Number);
const PLAN = loadPlanKind(process.env.BENCH_PLAN);
const print = (line = '') => process.stdout.write(`${line}\n`);

const infrastructure = await provisionBenchmarkInfrastructure();
const database = await createScratchDatabase(infrastructure.databaseUrl);
const topicPrefix = `bench${randomBytes(4).toString('hex')}.`;
let pipeline: ServicePipeline | undefined;
const pool = new pg.Pool({
  connectionString: database.url,
  max: 2,
  application_name: BENCH_APPLICATION_NAME,
});
try {
  pipeline = await ServicePipeline.start({
    databaseUrl: database.url,
    brokers: infrastructure.kafkaBrokers,
    topicPrefix,
  });
  const watch = new PipelineWatch(
    infrastructure.kafkaBrokers,
    pool,
    serviceGroups(topicPrefix, pipeline.topics),
  );
  await watch.connect();
  const brokers = infrastructure.kafkaBrokers;
  const { leadEvents, scoreChanged, stageChanged } = pipeline.topics;
  await stampTopicsOnAppend(brokers, [leadEvents, scoreChanged, stageChanged]);
  const listener = await listenForArrivals(brokers, stageChanged, triggeringEventId);
  // The hops in between, for the same (stage-changing) events: where the latency is made.
  const hops = HOPS
    ? [
        { name: 'lead-events topic', listener: await listenForArrivals(brokers, leadEvents, cloudEventId) },
        {
          name: 'score-changed topic',
          listener: await listenForArrivals(brokers, scoreChanged, scoredEventId),
        },
      ]
    : [];
  const webhook = { webhookUrl: pipeline.url('ingest'), ingestKey: KEYS.ingest };

  // Warm-up: the same journeys at half the rate, so every code path is compiled, the pools and
  // fetch sessions are open and the tables hold leads before anything is measured. A service
  // running in production is warm; these processes are minutes old. Until 2026-12-07 (fourth
  // session) it was 5 s of profiles at 200 events/s: `perf` then still found V8's optimising
  // compiler at about a tenth of each service's CPU in the measured phase (a few % after this).
  await runSteadyLoad({
    ...webhook,
    eventsPerSecond: Math.ceil(RATE / 2),
    durationSeconds: WARMUP_SECONDS,
    eventsPerRequest: EVENTS_PER_REQUEST,
    probeEvery: 0,
    tag: 'warm',
    plan: PLAN,
  });
  await watch.untilQuiet(120_000);

  print(
    `steady load: ${RATE} events/s for ${DURATION_SECONDS} s, ${EVENTS_PER_REQUEST} events per request, plan ${PLAN}`,
  );
  const stopServiceCpu = await startServiceCpu(pipeline, pool, database.name);
  const stopMachineCpu = startMachineCpu(infrastructure.kafkaPid);
  const benchBackends = await BackendCpuTracker.start(pool, database.name, BENCH_APPLICATION_NAME);
  const tracing = traceBacklog(watch, Date.now());
  const scores = await ScoreVisibility.start({
    databaseUrl: database.url,
    apiUrl: pipeline.url('api'),
    readKey: KEYS.read,
    applicationName: BENCH_APPLICATION_NAME,
  });
  const load = await runSteadyLoad({
    ...webhook,
    eventsPerSecond: RATE,
    durationSeconds: DURATION_SECONDS,
    eventsPerRequest: EVENTS_PER_REQUEST,
    probeEvery: PROBE_EVERY,
    scores,
    tag: 'steady',
    plan: PLAN,
  }).finally(() => scores.stop());
  // Latencies are only complete once everything came through; a machine that cannot keep up at
  // this rate shows it here (drain time) and in the latencies, not as a crash.
  const loadEnded = Date.now();
  await watch.untilQuiet(DRAIN_SECONDS * 1000).finally(() => tracing.stop());
  // Quiet: every event scored, decided and relayed. Not after the listener's wait, which lasts
  // its whole timeout when a lead reached MQL on another event than the one waited for.
  const drainSeconds = Number(((Date.now() - loadEnded) / 1000).toFixed(1));
  // Before the wait for the listener: idle services' polling would count as CPU of the load.
  const machineCpu = stopMachineCpu();
  const serviceCpu = await stopServiceCpu();
  const benchPostgresSeconds = Number((await benchBackends.stop()).toFixed(2));
  await listener.untilReceived([...load.acceptedAt.keys()], 120_000);
  const scoreVisible = new LatencyRecorder();
  for (const ms of load.scoreVisibleMs) scoreVisible.add(ms);
  const stageChange = new LatencyRecorder();
  const missingIds: string[] = [];
  for (const [eventId, acceptedAt] of load.acceptedAt) {
    const appendedAt = listener.appendedAt.get(eventId);
    if (appendedAt === undefined) missingIds.push(eventId);
    else stageChange.add(appendedAt - acceptedAt);
  }
  const stageMissing = missingIds.length;
  // Told apart: a lead that never reached MQL, or one that did on another event (on a loaded
  // machine the webhook can accept a lead's events out of order, and an earlier one crosses).
  const { rows: reachedMql } = await pool.query<{ leads: number }>(
    `SELECT count(*)::int AS leads FROM eventstore.messages AS event
      WHERE event.event_id = ANY($1::text[])
        AND EXISTS (SELECT 1 FROM lead_stage_history AS change
                     WHERE $2 || change.lead_id = event.stream_id AND change.to_stage = 'mql')`,
    [missingIds, leadStreamId('')],
  );
  const stageMissingAtMql = reachedMql[0]?.leads ?? 0;
  await listener.stop();
  const hopsOfStageChanges =
    hops.length === 0
      ? []
      : hopLatencies([
          { name: 'webhook accept', reachedAt: load.acceptedAt },
          ...hops.map(({ name, listener: hop }) => ({ name, reachedAt: hop.appendedAt })),
          { name: 'stage-changed topic', reachedAt: listener.appendedAt },
        ]);
  const listeners = [listener, ...hops.map((hop) => hop.listener)];
  const unstamped = listeners.reduce((sum, l) => sum + l.unstamped(), 0);
  if (unstamped > 0) throw new Error(`${unstamped} messages came without the broker's append time`);
  await Promise.all(hops.map((hop) => hop.listener.stop()));

  print('baseline: bare kafkajs produce -> appended, at the same rate');
  const baseline = await measureKafkaBaseline({
    brokers: infrastructure.kafkaBrokers,
    topic: `${topicPrefix}bench.baseline`,
    messagesPerSecond: RATE,
    messagesPerSend: EVENTS_PER_REQUEST,
    durationSeconds: Math.min(DURATION_SECONDS, 20),
  });

  print(`sustained rate: steps ${MAX_RATES.join(', ')} events/s, ${STEP_SECONDS} s each`);
  const steps: StepResult[] = await measureSustainedRate({
    rates: MAX_RATES,
    stepSeconds: STEP_SECONDS,
    watch,
    run: (eventsPerSecond, tag) =>
      runSteadyLoad({
        ...webhook,
        eventsPerSecond,
        durationSeconds: STEP_SECONDS,
        eventsPerRequest: EVENTS_PER_REQUEST,
        probeEvery: 0,
        tag,
        plan: PLAN,
      }),
    log: print,
  });
  await watch.close();

  const figures = {
    machine: {
      cores: cpus().length,
      cpu: cpus()[0]?.model ?? 'unknown',
      node: process.version,
      loadAverage: loadavg().map((l) => Number(l.toFixed(1))),
    },
    steady: {
      rate: RATE,
      plan: PLAN,
      durationSeconds: DURATION_SECONDS,
      achievedEventsPerSecond: Math.round(load.achievedEventsPerSecond),
      accepted: load.accepted,
      failedRequests: load.failedRequests,
      failures: load.failures,
      drainSeconds,
      scoreVisible: scoreVisible.summary(),
      stageChange: stageChange.summary(),
      stageChangesMissing: stageMissing,
      stageChangesMissingLeadsAtMql: stageMissingAtMql,
      hopsOfStageChanges,
      serviceCpu,
      machineCpu: { ...machineCpu, benchPostgresSeconds },
    },
    baselineKafkaHop: baseline,
    sustained: steps,
    maxSustainedEventsPerSecond: Math.max(
      0,
      ...steps.filter((step) => step.sustained).map((step) => step.rate),
    ),
  };
  print();
  print(
    `machine: ${figures.machine.cores} cores, ${figures.machine.cpu}, Node ${figures.machine.node}, load average ${figures.machine.loadAverage.join(' ')}`,
  );
  print(
    `steady ${RATE} events/s: achieved ${figures.steady.achievedEventsPerSecond}/s, ${load.failedRequests} failed requests`,
  );
  print(`  webhook accept -> score visible in the API:    ${formatLatency(figures.steady.scoreVisible)}`);
  print(
    `  webhook accept -> stage change on Kafka:       ${formatLatency(figures.steady.stageChange)}, ${stageMissing} missing (${stageMissingAtMql} of those leads reached MQL on another event)`,
  );
  if (hops.length > 0)
    print(`  the stage-changing events, hop by hop (Kafka arrivals as a subscriber sees them):`);
  for (const hop of hopsOfStageChanges)
    print(`    ${`${hop.from} -> ${hop.to}:`.padEnd(44)}${formatLatency(hop.latency)}`);
  print(`  CPU per service, from the start of the load until drained:`);
  for (const line of formatServiceCpu(serviceCpu, load.accepted)) print(line);
  for (const line of formatMachineCpu(machineCpu, serviceCpu, benchPostgresSeconds, load.accepted))
    print(line);
  print(`  baseline, bare kafkajs send -> appended:       ${formatLatency(baseline)}`);
  print(`sustained maximum without growing backlog: ${figures.maxSustainedEventsPerSecond} events/s`);
  print(JSON.stringify(figures));
} finally {
  // A service that died during the run explains odd figures: show why.
  for (const service of pipeline?.notRunning() ?? []) {
    print(`${service} exited during the run; its last output:\n${pipeline?.logsOf(service)}`);
  }
  await pipeline?.stopAll();
  await pool.end();
  await database.drop();
  await infrastructure.teardown();
}
