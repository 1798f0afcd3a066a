// pnpm bench:simulate: how fast a draft is backtested (POST /v1/rulesets/{version}/simulate, which
// writes nothing), on the same stored history as bench:replay (default 1,000,000 events across
// 100,000 leads), beside the same same-run baseline: reading those events with a plain keyset
// SELECT. Each lead is replayed twice, under the active version and under the candidate (clicks
// worth twice as much), as the API's simulation does. BENCH_ROUNDS rounds (default 3) of both, and
// their median. Peak memory (max RSS) is reported: run it at two BENCH_LEADS to see it stay flat.
// Not a test: figures depend on the machine. Needs DATABASE_URL (a server where it may create a
// scratch database).
import { simulateRulesets } from '@leadscore/rulesets';
import { compileRuleset, defaultRuleset } from '@leadscore/scoring';
import { StageMeter } from '../../../bench/support/stage-meter.js';
import { clicksTimes } from '../../../tests/rulesets/support/clicks-ruleset.js';
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

const APPLICATION = 'bench-simulation';
// The plain read's page: what the simulation reads per query (500 leads, its default batch).
const PAGE = 500 * historySize.eventsPerLead;

const baseline = compileRuleset(defaultRuleset);
const candidate = compileRuleset({ ...clicksTimes(2), version: defaultRuleset.version + 1 });

const events = historySize.leads * historySize.eventsPerLead;
await withSeededHistory(
  { applicationName: APPLICATION, poolMax: 2, size: historySize },
  async ({ pool, databaseName }) => {
    const ratios: number[] = [];
    const rates: number[] = [];
    for (let n = 1; n <= ROUNDS; n++) {
      const readMeter = await StageMeter.start(pool, databaseName, APPLICATION);
      const read = await readMeter.stop(await plainRead(pool, PAGE));
      const simulationMeter = await StageMeter.start(pool, databaseName, APPLICATION);
      const report = await simulateRulesets(pool, { baseline, candidate, asOf: Date.now() });
      const simulated = await simulationMeter.stop(events);
      ratios.push(simulated.wallSeconds / read.wallSeconds);
      rates.push(simulated.eventsPerSecond);
      out(`round ${n} of ${ROUNDS}`);
      out(
        `  plain SELECT read: ${read.events.toLocaleString('en-US')} events in ${read.wallSeconds.toFixed(1)} s = ${eventsPerSecond(read)} events/s; ${cpuPerEvent(read)}`,
      );
      out(
        `  simulation:        ${report.leads.toLocaleString('en-US')} leads in ${simulated.wallSeconds.toFixed(1)} s = ${eventsPerSecond(simulated)} events/s; ${cpuPerEvent(simulated)}`,
      );
      out(`  simulation / plain read time: ${ratios.at(-1)!.toFixed(2)}x`);
    }
    out(`median of ${ROUNDS} round(s): ${medianAgainstRead('simulation', rates, ratios)}`);
    printPeakMemory();
  },
);
