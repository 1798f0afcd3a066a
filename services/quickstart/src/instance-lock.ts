import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

/**
 * PGlite does not lock its data folder, and two processes on one folder corrupt it
 * (shared/notes/pglite-quickstart.md). So the quickstart holds a lock file naming its pid and
 * refuses to start while another live process holds it. A lock left by a crashed process
 * (its pid no longer alive) is taken over.
 */
export class InstanceLockedError extends Error {
  readonly code = 'QUICKSTART_ALREADY_RUNNING';
  constructor(
    readonly lockPath: string,
    readonly holderPid: number,
  ) {
    super(
      `another leadscore quickstart (pid ${holderPid}) is using ${dirname(lockPath)}; ` +
        'stop it first, or set LEADSCORE_HOME to another folder',
    );
  }
}

export interface InstanceLock {
  release(): void;
}

export function acquireInstanceLock(lockPath: string, pid = process.pid): InstanceLock {
  mkdirSync(dirname(lockPath), { recursive: true });
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      // 'wx' fails when the file exists, so creating it is the atomic test-and-set.
      writeFileSync(lockPath, String(pid), { flag: 'wx' });
      return { release: () => releaseIfOwned(lockPath, pid) };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const holder = readHolderPid(lockPath);
      if (holder !== undefined && holder !== pid && isAlive(holder)) {
        throw new InstanceLockedError(lockPath, holder);
      }
      rmSync(lockPath, { force: true });
    }
  }
  throw new Error(`could not acquire ${lockPath}`);
}

function releaseIfOwned(lockPath: string, pid: number): void {
  if (readHolderPid(lockPath) === pid) rmSync(lockPath, { force: true });
}

function readHolderPid(lockPath: string): number | undefined {
  try {
    const pid = Number.parseInt(readFileSync(lockPath, 'utf8').trim(), 10);
    return Number.isSafeInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to someone else - still alive.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
