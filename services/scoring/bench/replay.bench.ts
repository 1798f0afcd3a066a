// pnpm bench:replay: events rescored per second when a ruleset version is published, for a stored
// history (default 1,000,000 events across 100,000 leads), beside a same-run baseline: reading the
// same events with a plain keyset SELECT. BENCH_ROUNDS rounds (default 3) of both, each publishing
// a new version, and their median: one round's ratio moved by a third between runs of the same
// code. Peak memory (max RSS) is reported. Not a test: figures depend on the machine. Needs
// DATABASE_URL (a server where it may create a scratch database), or the local server.
//
// The score-changed messages are counted and dropped by default. BENCH_BUS=kafka publishes them to
// a real broker as the scoring service does (KAFKA_BROKERS and DATABASE_URL when set, otherwise
// provisioned as the tests do): what a deployment's job costs, the producer included.
import { randomBytes } from 'node:crypto';
import { loadavg } from 'node:os';
import { topics } from '@leadscore/contracts';
import { createInProcessBus, createKafkaBus } from '@leadscore/kafka';
import { createLogger, createMetricsRegistry, DEFAULT_RESCORING_BATCH_SIZE } from '@leadscore/platform';
import { draftRuleset, publishRuleset, storedRulesets } from '@leadscore/rulesets';
import type pg from 'pg';
import { processCpuSeconds } from '../../../bench/support/process-cpu.js';
import { type StageCost, StageMeter } from '../../../bench/support/stage-meter.js';
import { clicksTimes } from '../../../tests/rulesets/support/clicks-ruleset.js';
import { provisionBenchmarkInfrastructure } from '../../../tests/setup/provision.js';
import { publishPending } from '../src/consumer/publish-pending.js';
import { createScoringMetrics } from '../src/metrics.js';
import { rescoringPipeline } from '../src/rescoring/rescoring-pipeline.js';
import { type CountingBus, countingBus } from './counting-bus.js';
import {
  cpuPerEvent,
  eventsPerSecond,
  historySize,
  medianAgainstRead,
  printLine as out,
  printPeakMemory,
  ROUNDS,
  withSeededHistory,
} from './history-bench.js';
import { plainRead } from './plain-read.js';

// The scoring service's own default unless BENCH_BATCH says otherwise.
const BATCH = Number(process.env.BENCH_BATCH ?? DEFAULT_RESCORING_BATCH_SIZE);
const TO_KAFKA = process.env.BENCH_BUS === 'kafka';
const logger = createLogger({ service: 'scoring', level: 'fatal' });
const infrastructure = TO_KAFKA ? await provisionBenchmarkInfrastructure() : undefined;
// Each run's own topics, on a broker the environment may share.
const names = topics(`bench${randomBytes(4).toString('hex')}.`);

function benchBus(): CountingBus {
  if (infrastructure === undefined) return countingBus(createInProcessBus({ logger }), { forward: false });
  const kafka = createKafkaBus({ brokers: infrastructure.kafkaBrokers, clientId: 'bench-replay', logger });
  return countingBus(kafka, { forward: true });
}

interface RescoreRun {
  readonly events: number;
  readonly leads: number;
  readonly messages: number;
}

async function rescoreAll(pool: pg.Pool): Promise<RescoreRun> {
  const bus = benchBus();
  await bus.ensureTopics([{ name: names.scoreChanged }, { name: names.alerts }]);
  const metrics = createScoringMetrics(createMetricsRegistry('scoring'));
  const rulesets = storedRulesets();
  let events = 0;
  let leads = 0;
  // Batch after batch as the scoring service's runner does: each prepared while the one before commits.
  const pipeline = rescoringPipeline(
    { pool, rulesets, topics: names, batchSize: BATCH, now: Date.now },
    (error) => {
      throw error;
    },
  );
  for (;;) {
    const outcome = await pipeline.runBatch();
    await publishPending(bus, pool, outcome.pending, metrics);
    if (outcome.batch === undefined) break;
    events += outcome.batch.eventsReplayed;
    leads += outcome.batch.rescoredLeads;
    if (outcome.batch.finished) break;
  }
  await pipeline.settle();
  await bus.close();
  return { events, leads, messages: bus.published.messages };
}

const machineLoad = (): string => (loadavg()[0] ?? 0).toFixed(1);
const APPLICATION = 'bench-replay';

interface Round {
  readonly read: StageCost;
  readonly rescore: StageCost;
  readonly rescored: RescoreRun;
  /** CPU of a broker this bench started (BENCH_BUS=kafka), per event rescored. */
  readonly brokerCpuUsPerEvent: number | undefined;
}

// The broker shares the machine's cores with the job: its CPU is part of what publishing costs.
const brokerPid = infrastructure?.kafkaPid;

const ratioOf = (round: Round) => round.rescore.wallSeconds / round.read.wallSeconds;

/** One plain read of every event, then one version published and its rescoring job run through. */
async function measureRound(pool: pg.Pool, databaseName: string, clicksFactor: number): Promise<Round> {
  const readMeter = await StageMeter.start(pool, databaseName, APPLICATION);
  const read = await readMeter.stop(await plainRead(pool, BATCH * historySize.eventsPerLead));
  const draft = await draftRuleset(pool, {
    document: clicksTimes(clicksFactor),
    author: 'bench',
    comment: '',
  });
  await publishRuleset(pool, { version: draft.version, author: 'bench', comment: '' });
  const rescoreMeter = await StageMeter.start(pool, databaseName, APPLICATION);
  const brokerBefore = brokerPid === undefined ? 0 : processCpuSeconds(brokerPid);
  const rescored = await rescoreAll(pool);
  const rescore = await rescoreMeter.stop(rescored.events);
  const brokerCpuUsPerEvent =
    brokerPid === undefined
      ? undefined
      : ((processCpuSeconds(brokerPid) - brokerBefore) * 1e6) / rescored.events;
  return { read, rescore, rescored, brokerCpuUsPerEvent };
}

try {
  await withSeededHistory(
    {
      applicationName: APPLICATION,
      poolMax: 4,
      size: historySize,
      ...(infrastructure === undefined ? {} : { adminUrl: infrastructure.databaseUrl }),
    },
    async ({ pool, databaseName }) => {
      out(
        TO_KAFKA
          ? `messages published to Kafka at ${infrastructure?.kafkaBrokers.join(',')}`
          : 'messages counted and dropped (BENCH_BUS=kafka publishes them)',
      );
      const loadBefore = machineLoad();
      const rounds: Round[] = [];
      for (let n = 1; n <= ROUNDS; n++) {
        // Round n publishes clicks worth n + 1 times the default: every lead's score changes each time.
        const round = await measureRound(pool, databaseName, n + 1);
        rounds.push(round);
        out(`round ${n} of ${ROUNDS}`);
        out(
          `  plain SELECT read:   ${round.read.events.toLocaleString('en-US')} events in ${round.read.wallSeconds.toFixed(1)} s = ${eventsPerSecond(round.read)} events/s; ${cpuPerEvent(round.read)}`,
        );
        out(
          `  rescoring (publish): ${round.rescored.events.toLocaleString('en-US')} events, ${round.rescored.leads.toLocaleString('en-US')} leads in ${round.rescore.wallSeconds.toFixed(1)} s = ${eventsPerSecond(round.rescore)} events/s; ${cpuPerEvent(round.rescore)}${round.brokerCpuUsPerEvent === undefined ? '' : `; the broker ${round.brokerCpuUsPerEvent.toFixed(1)} µs`}; ${round.rescored.messages.toLocaleString('en-US')} messages published`,
        );
        out(`  rescoring / plain read time: ${ratioOf(round).toFixed(2)}x`);
      }
      const ratios = rounds.map(ratioOf);
      const rates = rounds.map((round) => round.rescore.eventsPerSecond);
      out(
        `median of ${ROUNDS} round(s), batch ${BATCH} leads: ${medianAgainstRead('rescoring', rates, ratios)}`,
      );
      out(`machine load (1 min) before / after: ${loadBefore} / ${machineLoad()} on 2 cores`);
      printPeakMemory();
    },
  );
} finally {
  await infrastructure?.teardown();
}
