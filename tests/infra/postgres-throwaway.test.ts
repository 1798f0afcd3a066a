import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { queryOnce } from '../setup/postgres-ready.js';
import { startThrowawayPostgres } from '../setup/postgres-throwaway.js';

// The run may use another PostgreSQL (DATABASE_URL, the local server): this exercises the
// fallback path for real on every run, so it cannot rot unnoticed.
describe('a throwaway PostgreSQL cluster', () => {
  it('starts from the machine binaries, accepts databases, and leaves nothing behind', async () => {
    const server = await startThrowawayPostgres({ log: () => {} });
    let dataDir: string;
    let postmasterPid: number;
    try {
      const [settings] = await queryOnce<{ data_directory: string; is_superuser: string }>(
        server.url,
        "SELECT current_setting('data_directory') AS data_directory, current_setting('is_superuser') AS is_superuser",
      );
      dataDir = settings!.data_directory;
      expect(settings!.is_superuser).toBe('on');
      postmasterPid = Number(readFileSync(join(dataDir, 'postmaster.pid'), 'utf8').split('\n')[0]);

      await queryOnce(server.url, 'CREATE DATABASE throwaway_check');
      const url = new URL(server.url);
      url.pathname = '/throwaway_check';
      expect(await queryOnce(url.toString(), 'SELECT current_database() AS name')).toEqual([
        { name: 'throwaway_check' },
      ]);
    } finally {
      await server.stop();
    }
    expect(() => process.kill(postmasterPid, 0)).toThrow();
    expect(existsSync(dataDir)).toBe(false);
    const client = new pg.Client({ connectionString: server.url, connectionTimeoutMillis: 1_000 });
    await expect(client.connect()).rejects.toThrow();
  });
});
