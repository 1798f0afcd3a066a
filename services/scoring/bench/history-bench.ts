import { createLogger, createPool, runMigrations } from '@leadscore/platform';
import { ensureDefaultRuleset } from '@leadscore/rulesets';
import type pg from 'pg';
import { createScratchDatabase } from '../../../bench/support/scratch-database.js';
import { formatShare, type StageCost } from '../../../bench/support/stage-meter.js';
import { seedHistory } from './seed-history.js';

/** What bench:replay and bench:simulate share: a seeded history, and how their figures print. */
export interface SeededHistory {
  readonly pool: pg.Pool;
  /** The scratch database's name, for StageMeter. */
  readonly databaseName: string;
}

export interface HistorySize {
  readonly leads: number;
  readonly eventsPerLead: number;
}

/** The history both benches seed (BENCH_LEADS, BENCH_EVENTS_PER_LEAD) and their rounds (BENCH_ROUNDS). */
export const historySize: HistorySize = {
  leads: Number(process.env.BENCH_LEADS ?? 100_000),
  eventsPerLead: Number(process.env.BENCH_EVENTS_PER_LEAD ?? 10),
};
export const ROUNDS = Math.max(1, Number(process.env.BENCH_ROUNDS ?? 3));

/**
 * Runs `measure` on a scratch database of its own (on `adminUrl`'s server), migrated, with the
 * default ruleset and `size` seeded (seedHistory), through a pool whose connections carry
 * `applicationName` (for StageMeter); drops the database afterwards.
 */
export async function withSeededHistory(
  options: {
    readonly applicationName: string;
    readonly poolMax: number;
    readonly size: HistorySize;
    /** The server to make the scratch database on; default DATABASE_URL, else the local one. */
    readonly adminUrl?: string;
  },
  measure: (history: SeededHistory) => Promise<void>,
): Promise<void> {
  const adminUrl =
    options.adminUrl ?? process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  // fatal: dropping the scratch database ends the pool's idle connections, which is expected here.
  const logger = createLogger({ service: 'bench', level: 'fatal' });
  const database = await createScratchDatabase(adminUrl);
  try {
    await runMigrations({ databaseUrl: database.url, logger });
    const pool = createPool({
      connectionString: database.url,
      applicationName: options.applicationName,
      max: options.poolMax,
      statementTimeoutMs: 0,
      logger,
    });
    try {
      await ensureDefaultRuleset(pool);
      const started = performance.now();
      const { leads, eventsPerLead } = options.size;
      await seedHistory(pool, leads, eventsPerLead);
      printLine(
        `seeded ${(leads * eventsPerLead).toLocaleString('en-US')} events across ${leads.toLocaleString('en-US')} leads in ${((performance.now() - started) / 1000).toFixed(1)} s`,
      );
      await measure({ pool, databaseName: database.name });
    } finally {
      await pool.end();
    }
  } finally {
    await database.drop();
  }
}

export const printLine = (line: string) => process.stdout.write(`${line}\n`);

export const eventsPerSecond = (cost: StageCost) => Math.round(cost.eventsPerSecond).toLocaleString('en-US');

// CPU time per event is what to compare between runs on a shared machine; wall time is not.
export const cpuPerEvent = (cost: StageCost) =>
  `CPU per event: node ${cost.processCpuUsPerEvent.toFixed(1)} µs + PostgreSQL ${cost.backendCpuUsPerEvent.toFixed(1)} µs` +
  (cost.mainThreadBusy === undefined ? '' : `; node's main thread busy ${formatShare(cost.mainThreadBusy)}`);

/** `what` at its median rate, and its median ratio to the plain read with their range. */
export const medianAgainstRead = (what: string, rates: readonly number[], ratios: readonly number[]) =>
  `${what} ${Math.round(median(rates)).toLocaleString('en-US')} events/s, ${median(ratios).toFixed(2)}x the plain read (${Math.min(...ratios).toFixed(2)}x to ${Math.max(...ratios).toFixed(2)}x)`;

export const printPeakMemory = () =>
  printLine(`peak memory (max RSS): ${Math.round(process.resourceUsage().maxRSS / 1024)} MiB`);

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}
