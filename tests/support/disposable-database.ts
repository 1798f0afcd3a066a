import { randomBytes } from 'node:crypto';
import pg from 'pg';

// No vitest here: the benches (bench/, packages/*/bench, services/*/bench) create their databases
// with this too, outside any test run.

export interface DisposableDatabase {
  readonly name: string;
  readonly url: string;
  drop(): Promise<void>;
}

/** Creates an empty database of its own, named `<prefix>_<random>`, on the server at `adminUrl`. */
export async function createDatabaseOn(adminUrl: string, prefix: string): Promise<DisposableDatabase> {
  const name = `${prefix}_${randomBytes(6).toString('hex')}`;
  await withClient(adminUrl, (client) => client.query(`CREATE DATABASE ${name}`));
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    name,
    url: url.toString(),
    drop: () =>
      withClient(adminUrl, async (client) => {
        await untilDisconnected(client, name);
        await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      }),
  };
}

/**
 * pg's Pool.end() resolves once its clients are told to end, before their sockets are closed. A
 * DROP ... WITH (FORCE) right after would terminate those connections, and the FATAL message
 * reaching a client whose pool no longer listens crashes the process. So wait (briefly) for the
 * connections to go by themselves; FORCE then only ends what was really leaked.
 */
async function untilDisconnected(client: pg.Client, database: string, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { rows } = await client.query<{ connected: number }>(
      'SELECT count(*)::int AS connected FROM pg_stat_activity WHERE datname = $1',
      [database],
    );
    if (rows[0]?.connected === 0 || Date.now() > deadline) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Runs `fn` with a client connected to `url`, and closes it whatever `fn` does. */
export async function withClient<T>(url: string, fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}
