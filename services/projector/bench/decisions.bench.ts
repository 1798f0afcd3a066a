/**
 * `pnpm bench:projector`: CPU per score change of the projector service, run as production runs
 * it (its own process, services/projector/src/main.ts) on real Kafka and PostgreSQL.
 *
 * BENCH_LEADS leads (default 2,000) get five score changes each, as bench:pipeline's load gives
 * them (the fifth moves the lead to MQL), published to the score-changed topic in waves once the
 * projector has joined its group, BENCH_RATE a second (default 2,000; 0: all at once). Reported: the projector's CPU seconds (/proc/<pid>/stat) and
 * those of its PostgreSQL backends, per score change, and the wall time to decide them all. CPU
 * time, not wall time, is what to compare between changes: the machine is shared.
 */
import { randomBytes } from 'node:crypto';
import { loadavg } from 'node:os';
import { topics as topicNames } from '@leadscore/contracts';
import { createKafkaBus, type OutgoingMessage } from '@leadscore/kafka';
import { createLogger, runMigrations } from '@leadscore/platform';
import { ensureDefaultRuleset } from '@leadscore/rulesets';
import { compileRuleset, defaultRuleset } from '@leadscore/scoring';
import { Kafka, logLevel } from 'kafkajs';
import pg from 'pg';
import { BackendCpuTracker } from '../../../bench/support/postgres-backend-cpu.js';
import { processCpuSeconds } from '../../../bench/support/process-cpu.js';
import { createScratchDatabase } from '../../../bench/support/scratch-database.js';
import { freeLoopbackPort } from '../../../tests/setup/free-port.js';
import { provisionBenchmarkInfrastructure } from '../../../tests/setup/provision.js';
import { ServiceProcess, waitUntilAnswering } from '../../../tests/support/service-process.js';
import { STAGE_PARTITIONS } from '../src/projector-module.js';
import { SCORE_CHANGES_PER_LEAD, seedScoreChanges } from './score-change-load.js';

const LEADS = Number(process.env.BENCH_LEADS ?? 2_000);
/** Score changes published per second; 0 publishes them all at once (a backlog: the largest batches). */
const RATE = Number(process.env.BENCH_RATE ?? 2_000);
const TICK_MS = 20;
const print = (line = '') => process.stdout.write(`${line}\n`);
const logger = createLogger({ service: 'projector', level: 'fatal' });

const infrastructure = await provisionBenchmarkInfrastructure();
const database = await createScratchDatabase(infrastructure.databaseUrl);
const prefix = `pbench${randomBytes(4).toString('hex')}.`;
const topics = topicNames(prefix);
const pool = new pg.Pool({ connectionString: database.url, max: 2 });
const bus = createKafkaBus({ brokers: infrastructure.kafkaBrokers, clientId: 'projector-bench', logger });
const admin = new Kafka({ brokers: infrastructure.kafkaBrokers, logLevel: logLevel.NOTHING }).admin();
let projector: ServiceProcess | undefined;
try {
  await runMigrations({ databaseUrl: database.url, logger });
  await ensureDefaultRuleset(pool);
  const messages = await seedScoreChanges(pool, LEADS, compileRuleset(defaultRuleset), Date.UTC(2026, 0, 5));
  await bus.ensureTopics([{ name: topics.scoreChanged, partitions: STAGE_PARTITIONS }]);

  const port = await freeLoopbackPort();
  projector = new ServiceProcess('projector', {
    NODE_ENV: 'test',
    LOG_LEVEL: 'warn',
    HOST: '127.0.0.1',
    PORT: String(port),
    DATABASE_URL: database.url,
    KAFKA_BROKERS: infrastructure.kafkaBrokers.join(','),
    TOPIC_PREFIX: prefix,
    READINESS_TIMEOUT_MS: '10000',
  });
  await waitUntilAnswering(`http://127.0.0.1:${port}/readyz`, projector, 90_000);
  await admin.connect();
  await untilGroupStable(`${prefix}leadscore-projector`);

  const cpuBefore = processCpuSeconds(projector.pid);
  const backends = await BackendCpuTracker.start(pool, database.name, 'leadscore-projector');
  const started = Date.now();
  await publishAtRate(messages);
  await untilEveryLeadIsMql();
  const wallSeconds = (Date.now() - started) / 1000;
  const projectorCpu = processCpuSeconds(projector.pid) - cpuBefore;
  const backendCpu = await backends.stop();

  const scoreChanges = LEADS * SCORE_CHANGES_PER_LEAD;
  const perChange = (seconds: number) => `${((seconds * 1e6) / scoreChanges).toFixed(0)} us`;
  print(
    `${scoreChanges} score changes (${LEADS} leads, ${LEADS} stage changes) decided in ${wallSeconds.toFixed(1)} s`,
  );
  print(`  projector process CPU: ${projectorCpu.toFixed(2)} s, ${perChange(projectorCpu)} per score change`);
  print(
    `  its PostgreSQL backends' CPU: ${backendCpu.toFixed(2)} s, ${perChange(backendCpu)} per score change`,
  );
  print(
    `  load average at the end: ${loadavg()
      .map((load) => load.toFixed(1))
      .join(' ')}`,
  );
} finally {
  await projector?.stop('SIGTERM', 20_000);
  await admin.disconnect();
  await bus.close();
  await pool.end();
  await database.drop();
  await infrastructure.teardown();
}

/**
 * Publishes on schedule, `RATE` a second in ticks of TICK_MS, as the scoring service does under a
 * steady load: the projector then gets the batch sizes it gets in production at that rate.
 */
async function publishAtRate(messages: readonly OutgoingMessage[]): Promise<void> {
  const start = Date.now();
  for (let sent = 0; sent < messages.length; ) {
    const due =
      RATE <= 0
        ? messages.length
        : Math.min(messages.length, Math.ceil(((Date.now() - start) * RATE) / 1000));
    if (due > sent) await bus.publish(topics.scoreChanged, messages.slice(sent, due));
    sent = Math.max(sent, due);
    await new Promise((resolve) => setTimeout(resolve, TICK_MS));
  }
}

/** The consumer has its partitions: from now on the projector consumes what is published. */
async function untilGroupStable(groupId: string): Promise<void> {
  for (const deadline = Date.now() + 60_000; Date.now() < deadline; ) {
    const { groups } = await admin.describeGroups([groupId]);
    if (groups[0]?.state === 'Stable' && groups[0].members.length > 0) return;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`consumer group ${groupId} did not become stable within 60 s`);
}

/** Every lead's last score change (the demo request) moves it to MQL: all decided. */
async function untilEveryLeadIsMql(): Promise<void> {
  for (const deadline = Date.now() + 600_000; Date.now() < deadline; ) {
    const { rows } = await pool.query<{ mql: number }>(
      "SELECT count(*)::int AS mql FROM lead_stages WHERE stage = 'mql'",
    );
    if (rows[0]?.mql === LEADS) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error('the projector did not decide every score change within 600 s');
}
