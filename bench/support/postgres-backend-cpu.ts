import type pg from 'pg';
import { processCpuSeconds } from './process-cpu.js';

/** CPU seconds so far of each server process (backend) a PostgreSQL client application holds open. */
type BackendCpu = ReadonlyMap<number, number>;

/** How often backends are read: a backend that closes counts up to its last reading. */
const sampleEveryMs = 1_000;

/**
 * CPU of the backends serving `applicationName` on `database` over a phase (the server must run
 * on this machine: it reads /proc). A service's queries cost the database server CPU too, on the
 * same cores; this tells that part apart.
 *
 * Backends are read every second, not only at both ends: pools close idle connections (after
 * 30 s) and open new ones under load, and a backend gone by the end would otherwise count for
 * nothing. What it used between its last reading and its end is still missed (under a second).
 */
export class BackendCpuTracker {
  private readonly latest = new Map<number, number>();
  private readonly timer: NodeJS.Timeout;
  private sampling: Promise<void> = Promise.resolve();

  private constructor(
    private readonly db: pg.Pool | pg.ClientBase,
    private readonly database: string,
    private readonly applicationName: string,
    private readonly atStart: BackendCpu,
  ) {
    this.timer = setInterval(() => {
      this.sampling = this.sampling.then(() => this.sample()).catch(() => undefined);
    }, sampleEveryMs);
  }

  static async start(
    db: pg.Pool | pg.ClientBase,
    database: string,
    applicationName: string,
  ): Promise<BackendCpuTracker> {
    const atStart = await readBackendCpu(db, database, applicationName);
    return new BackendCpuTracker(db, database, applicationName, atStart);
  }

  /** CPU seconds the backends used since start; a backend opened meanwhile counts whole. */
  async stop(): Promise<number> {
    clearInterval(this.timer);
    await this.sampling;
    await this.sample();
    let used = 0;
    for (const [pid, seconds] of this.latest) used += seconds - (this.atStart.get(pid) ?? 0);
    return used;
  }

  private async sample(): Promise<void> {
    const now = await readBackendCpu(this.db, this.database, this.applicationName);
    for (const [pid, seconds] of now) this.latest.set(pid, seconds);
  }
}

async function readBackendCpu(
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
