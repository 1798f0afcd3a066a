import { execFile } from 'node:child_process';
import { existsSync, readdirSync, realpathSync } from 'node:fs';
import { delimiter, dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { TestInfraError } from './errors.js';
import type { Log } from './resources.js';

const execFileAsync = promisify(execFile);
const DEBIAN_PREFIX = '/usr/lib/postgresql';

/** A folder holding both `initdb` and `postgres`. */
function hasServerBinaries(binDir: string): boolean {
  return existsSync(join(binDir, 'initdb')) && existsSync(join(binDir, 'postgres'));
}

/**
 * The newest PostgreSQL server binaries on this machine: Debian/Ubuntu keep them in
 * /usr/lib/postgresql/<major>/bin (not on PATH); elsewhere `initdb` on PATH leads to them.
 */
export function findPostgresBinDir(env: NodeJS.ProcessEnv = process.env): string | undefined {
  if (existsSync(DEBIAN_PREFIX)) {
    const versions = readdirSync(DEBIAN_PREFIX)
      .filter((name) => /^\d+(\.\d+)?$/.test(name))
      .sort((a, b) => Number(b) - Number(a));
    for (const version of versions) {
      const binDir = join(DEBIAN_PREFIX, version, 'bin');
      if (hasServerBinaries(binDir)) return binDir;
    }
  }
  for (const dir of (env.PATH ?? '').split(delimiter)) {
    const initdb = join(dir, 'initdb');
    if (dir && existsSync(initdb)) {
      const binDir = dirname(realpathSync(initdb));
      if (hasServerBinaries(binDir)) return binDir;
    }
  }
  return undefined;
}

/** Finds the binaries, installing the distribution's PostgreSQL with apt-get when missing and we are root. */
export async function requirePostgresBinDir(log: Log): Promise<string> {
  const found = findPostgresBinDir();
  if (found) return found;
  const canInstall = process.getuid?.() === 0 && existsSync('/usr/bin/apt-get');
  if (!canInstall) {
    throw new TestInfraError(
      'POSTGRES_BINARIES_MISSING',
      'No PostgreSQL answers on 127.0.0.1:5432 and no PostgreSQL server binaries (initdb, postgres) were found ' +
        `in ${DEBIAN_PREFIX}/*/bin or on PATH. Install PostgreSQL, start it, or set DATABASE_URL.`,
    );
  }
  log('PostgreSQL server binaries not found: installing them with apt-get (root, one time)');
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  try {
    await execFileAsync('apt-get', ['update'], { env, maxBuffer: 64 * 1024 * 1024 });
    await execFileAsync('apt-get', ['install', '-y', '--no-install-recommends', 'postgresql'], {
      env,
      maxBuffer: 64 * 1024 * 1024,
    });
  } catch (error) {
    throw new TestInfraError(
      'POSTGRES_BINARIES_MISSING',
      `apt-get install postgresql failed: ${(error as Error).message}`,
    );
  }
  const installed = findPostgresBinDir();
  if (!installed) {
    throw new TestInfraError(
      'POSTGRES_BINARIES_MISSING',
      'apt-get installed postgresql but initdb is still not found',
    );
  }
  return installed;
}
