import { chown, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { TestInfraError } from './errors.js';
import { freeLoopbackPort } from './free-port.js';
import { unprivilegedUserIfRoot } from './os-user.js';
import { requirePostgresBinDir } from './postgres-binaries.js';
import { waitForPostgres } from './postgres-ready.js';
import { describeExit, type ManagedProcess, runToCompletion, startProcess } from './processes.js';
import type { Log, PostgresEndpoint } from './resources.js';
import { makeTempDir } from './temp-dir.js';

// Durability is pointless for a cluster deleted after the run; these make it a lot faster.
const SERVER_SETTINGS = [
  'listen_addresses=127.0.0.1',
  'unix_socket_directories=', // TCP only: no socket path length or permission issues
  'fsync=off',
  'synchronous_commit=off',
  'full_page_writes=off',
  'max_connections=200',
];

/**
 * Creates a PostgreSQL cluster in a temp dir (trust auth, superuser `postgres`) with the machine's
 * server binaries and starts it on a free loopback port, as an unprivileged user when we are root.
 * The postmaster is our child, so it is stopped by pid; its data dir is removed afterwards.
 */
export async function startThrowawayPostgres(options: {
  log: Log;
  readyTimeoutMs?: number;
}): Promise<PostgresEndpoint> {
  const { log, readyTimeoutMs = 30_000 } = options;
  const binDir = await requirePostgresBinDir(log);
  const runAs = await unprivilegedUserIfRoot();
  const home = await makeTempDir('leadscore-pg-');
  let server: ManagedProcess | undefined;
  const stop = async () => {
    // SIGINT is PostgreSQL's "fast" shutdown: it ends open sessions instead of waiting for them.
    await server?.stop({ signal: 'SIGINT', graceMs: 10_000 });
    await home.remove();
  };
  try {
    const dataDir = join(home.path, 'data');
    await mkdir(dataDir, { mode: 0o700 });
    if (runAs) {
      await chown(home.path, runAs.uid, runAs.gid);
      await chown(dataDir, runAs.uid, runAs.gid);
    }
    const asUser = runAs ? { uid: runAs.uid, gid: runAs.gid } : {};
    const env = withoutPgVariables(process.env);

    await runToCompletion({
      name: 'initdb',
      command: join(binDir, 'initdb'),
      args: ['-D', dataDir, '-U', 'postgres', '--auth=trust', '--encoding=UTF8', '--locale=C', '--no-sync'],
      cwd: home.path,
      env,
      logFile: join(home.path, 'initdb.log'),
      ...asUser,
    });

    const port = await freeLoopbackPort();
    const started = startProcess({
      name: 'postgres',
      command: join(binDir, 'postgres'),
      args: ['-D', dataDir, '-p', String(port), ...SERVER_SETTINGS.flatMap((setting) => ['-c', setting])],
      cwd: home.path,
      env,
      logFile: join(home.path, 'postgres.log'),
      ...asUser,
    });
    server = started;
    const url = `postgres://postgres@127.0.0.1:${port}/postgres`;
    const outcome = await waitForPostgres(url, {
      timeoutMs: readyTimeoutMs,
      gaveUp: () => {
        const status = started.exitStatus();
        return status && `postgres exited before it was ready (${describeExit(status)})`;
      },
    });
    if (!outcome.ready) {
      throw new TestInfraError(
        'POSTGRES_NOT_READY',
        `throwaway PostgreSQL: ${outcome.reason}\n${started.logTail()}`,
        {
          binDir,
          dataDir,
        },
      );
    }
    const owner = runAs ? ` as ${runAs.name}` : '';
    log(
      `PostgreSQL 127.0.0.1:${port}: throwaway cluster from ${binDir}${owner}, pid ${started.pid}, in ${home.path}`,
    );
    return { url, origin: `throwaway cluster (pid ${started.pid})`, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

// PGDATA, PGPORT, ... from the caller's shell would otherwise steer initdb and postgres.
function withoutPgVariables(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(env).filter(([key]) => !key.startsWith('PG')));
}
