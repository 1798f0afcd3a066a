import type pg from 'pg';
import { processCpuSeconds } from './process-cpu.js';

/** CPU seconds so far of each server process (backend) a PostgreSQL client application holds open. */
export type BackendCpu = ReadonlyMap<number, number>;

/**
 * Reads the CPU of the backends serving `applicationName` on `database` (the server must run on
 * this machine: it reads /proc). A service's queries cost the database server CPU too, on the
 * same cores; this tells that part apart.
 */
export async function sampleBackendCpu(
  db: pg.Pool | pg.ClientBase,
  database: string,
  applicationName: string,
): Promise<BackendCpu> {
  const { rows } = await db.query<{ pid: number }>(
    'SELECT pid FROM pg_stat_activity WHERE datname = $1 AND application_name = $2',
    [database, applicationName],
  );
  const sample = new Map<number, number>();
  for (const { pid } of rows) {
    try {
      sample.set(pid, processCpuSeconds(pid));
    } catch {
      // The backend ended between the query and the read.
    }
  }
  return sample;
}

/**
 * CPU the backends used between two samples. A backend that ended in between is not counted
 * (the pools keep theirs for 30 s idle, so under load they live through a run).
 */
export function backendCpuBetween(before: BackendCpu, after: BackendCpu): number {
  let used = 0;
  for (const [pid, seconds] of after) used += seconds - (before.get(pid) ?? 0);
  return used;
}
