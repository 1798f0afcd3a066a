import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type pg from 'pg';
import { describe, expect, it } from 'vitest';
import {
  createLogger,
  expectedSchemaVersion,
  MIGRATIONS_DIR,
  readSchemaVersion,
  runMigrations,
} from '../../packages/platform/src/index.js';
import { withClient } from '../support/disposable-database.js';
import { createTestDatabase, useTestDatabase } from '../support/infra.js';

const logger = createLogger({ service: 'migrations-test', level: 'silent' });
const database = useTestDatabase();

async function migrationFiles(): Promise<string[]> {
  return (await readdir(MIGRATIONS_DIR)).filter((name) => name.endsWith('.sql')).sort();
}

describe('migrations', () => {
  it('apply every file on a fresh database, then a second run is a no-op', async () => {
    const files = await migrationFiles();
    expect(files.length).toBeGreaterThan(0);

    const first = await runMigrations({ databaseUrl: database().url, logger });
    expect(first.applied).toEqual(files.map((file) => file.replace(/\.sql$/, '')));

    const tablesBefore = await withClient(database().url, listTables);
    const second = await runMigrations({ databaseUrl: database().url, logger });
    expect(second.applied).toEqual([]);
    expect(second.schemaVersion).toBe(first.schemaVersion);
    expect(await withClient(database().url, listTables)).toEqual(tablesBefore);
  });

  it('record one schema version per file, the highest being what this build expects', async () => {
    const files = await migrationFiles();
    const rows = await withClient(database().url, async (client) => {
      const result = await client.query<{ version: number; description: string }>(
        'SELECT version, description FROM leadscore_schema_version ORDER BY version',
      );
      return result.rows;
    });
    expect(rows.map((row) => row.version)).toEqual(files.map((file) => Number(file.slice(0, 4))));
    expect(rows[0]).toEqual({ version: 1, description: 'schema version table' });

    const version = await withClient(database().url, readSchemaVersion);
    expect(version).toBe(await expectedSchemaVersion());
  });

  it('every file is named NNNN_description.sql and has an Up and a Down section', async () => {
    const files = await migrationFiles();
    for (const [index, file] of files.entries()) {
      expect(file).toMatch(/^\d{4}_[a-z0-9_]+\.sql$/);
      expect(Number(file.slice(0, 4)), `${file} is numbered in sequence`).toBe(index + 1);
      const sql = await readFile(join(MIGRATIONS_DIR, file), 'utf8');
      expect(sql, file).toMatch(/^-- Up Migration$/m);
      expect(sql, file).toMatch(/^-- Down Migration$/m);
    }
  });

  it('serialise two runs started together: both succeed, the files are applied once', async () => {
    const fresh = await createTestDatabase();
    try {
      const runs = await Promise.all([
        runMigrations({ databaseUrl: fresh.url, logger }),
        runMigrations({ databaseUrl: fresh.url, logger }),
      ]);
      const appliedCounts = runs.map((run) => run.applied.length).sort();
      expect(appliedCounts).toEqual([0, (await migrationFiles()).length]);
      expect(runs[0]?.schemaVersion).toBe(runs[1]?.schemaVersion);
    } finally {
      await fresh.drop();
    }
  });

  it('report schema version 0 on a database never migrated', async () => {
    const fresh = await createTestDatabase();
    try {
      expect(await withClient(fresh.url, readSchemaVersion)).toBe(0);
    } finally {
      await fresh.drop();
    }
  });
});

async function listTables(client: pg.Client): Promise<string[]> {
  const result = await client.query<{ name: string }>(
    `SELECT table_name AS name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY 1`,
  );
  return result.rows.map((row) => row.name);
}
