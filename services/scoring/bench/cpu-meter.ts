import { readFile } from 'node:fs/promises';
import { loadavg } from 'node:os';
import type pg from 'pg';

/** CPU seconds one step used: this process, and the PostgreSQL backends serving its database. */
export interface CpuUse {
  readonly nodeSeconds: number;
  readonly postgresSeconds: number;
}

// Kernel clock ticks per second for /proc/<pid>/stat (USER_HZ, 100 on Linux).
const TICKS_PER_SECOND = 100;

/**
 * Measures CPU time instead of trusting wall clock alone: on a shared machine the wall time of a
 * step depends on what else runs, its CPU time much less. The backends are found through
 * pg_stat_activity (the server must be local, its /proc readable); a backend that exits between
 * two samples loses its share, so callers keep their pool's connections open across a step.
 */
export function cpuMeter(pool: pg.Pool): { measure<T>(step: () => Promise<T>): Promise<[T, CpuUse]> } {
  async function backendTicks(): Promise<Map<number, number>> {
    const { rows } = await pool.query<{ pid: number }>(
      'SELECT pid FROM pg_stat_activity WHERE datname = current_database()',
    );
    const ticks = new Map<number, number>();
    for (const { pid } of rows) {
      const stat = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => undefined);
      if (stat === undefined) continue;
      // Fields after the parenthesised command name; utime and stime are fields 14 and 15.
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      ticks.set(pid, Number(fields[11]) + Number(fields[12]));
    }
    return ticks;
  }

  return {
    async measure(step) {
      const backendsBefore = await backendTicks();
      const nodeBefore = process.cpuUsage();
      const result = await step();
      const node = process.cpuUsage(nodeBefore);
      const backendsAfter = await backendTicks();
      let ticks = 0;
      for (const [pid, after] of backendsAfter) ticks += after - (backendsBefore.get(pid) ?? 0);
      return [
        result,
        { nodeSeconds: (node.user + node.system) / 1e6, postgresSeconds: ticks / TICKS_PER_SECOND },
      ];
    },
  };
}

/** The 1-minute load average, for the record of a run on a shared machine. */
export const machineLoad = (): string => loadavg()[0]!.toFixed(1);
