// pnpm bench:engine: event folds per second on one core and JSON state size per lead, default ruleset.
// Not a test: figures depend on the machine, so a same-run baseline is printed beside them.
import os from 'node:os';
import {
  compileRuleset,
  defaultRuleset,
  emptyLeadState,
  fold,
  type LeadState,
  type ScoringEvent,
} from '../src/index.js';
import { syntheticLeads } from './synthetic-leads.js';

const LEADS = 10_000;
const EVENTS_PER_LEAD = 100;
const RUNS = 5;
const ruleset = compileRuleset(defaultRuleset);
const leads = syntheticLeads(LEADS, EVENTS_PER_LEAD);
const eventCount = LEADS * EVENTS_PER_LEAD;

function foldAll(): LeadState[] {
  return leads.map((events) => {
    let state = emptyLeadState(ruleset);
    for (const event of events) state = fold(state, event, ruleset).state;
    return state;
  });
}

// The cheapest thing that still reads every event: a points table summed per lead, no decay or caps.
const pointsByType = new Map(defaultRuleset.engagement.map((rule) => [rule.event, rule.points]));
function baselineAll(): number[] {
  return leads.map((events: ScoringEvent[]) => {
    let sum = 0;
    for (const event of events) sum += pointsByType.get(event.type) ?? 0;
    return sum;
  });
}

function bestRate<T>(work: () => T): { perSecond: number; result: T } {
  let best = 0;
  let result = work(); // warm-up: let the JIT settle before timing
  for (let run = 0; run < RUNS; run++) {
    const started = process.hrtime.bigint();
    result = work();
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    best = Math.max(best, eventCount / seconds);
  }
  return { perSecond: best, result };
}

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]!;
const format = (n: number) => Math.round(n).toLocaleString('en-US');

const engine = bestRate(foldAll);
const baseline = bestRate(baselineAll);
const sizes = engine.result.map((state) => Buffer.byteLength(JSON.stringify(state))).sort((a, b) => a - b);

// The largest state the default ruleset allows: every rule, every capped window and every trait used.
const everything = syntheticLeads(1, 2_000, 7)[0]!;
let fullState = emptyLeadState(ruleset);
for (const event of everything) fullState = fold(fullState, event, ruleset).state;
const fullSize = Buffer.byteLength(JSON.stringify(fullState));

const cpus = os.cpus();
console.log(`machine     ${cpus[0]?.model ?? 'unknown'} (${cpus.length} cores), node ${process.version}`);
console.log(
  `workload    ${format(eventCount)} events, ${format(LEADS)} leads, default ruleset, best of ${RUNS}`,
);
console.log(`engine      ${format(engine.perSecond)} folds/s on one core`);
console.log(`baseline    ${format(baseline.perSecond)} events/s (plain loop summing points per lead)`);
console.log(
  `ratio       engine runs at ${(engine.perSecond / baseline.perSecond).toFixed(3)} of the baseline`,
);
console.log(
  `state       ${format(sizes.reduce((a, b) => a + b, 0) / sizes.length)} B mean, ` +
    `${format(percentile(sizes, 0.99))} B p99, ${format(sizes.at(-1)!)} B max per lead; ` +
    `${format(fullSize)} B with every rule and trait in use (${Object.keys(fullState.rules).length} rules)`,
);
const pass = (ok: boolean) => (ok ? 'met' : 'MISSED');
console.log(
  `targets     >= 1,000,000 folds/s: ${pass(engine.perSecond >= 1_000_000)}; ` +
    `< 2 KB state per lead: ${pass(Math.max(sizes.at(-1)!, fullSize) < 2048)}`,
);
