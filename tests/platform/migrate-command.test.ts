import { describe, expect, it } from 'vitest';
import { expectedSchemaVersion, readSchemaVersion } from '../../packages/platform/src/index.js';
import { freeLoopbackPort } from '../setup/free-port.js';
import { withClient } from '../support/disposable-database.js';
import { kafkaBrokers, useTestDatabase } from '../support/infra.js';
import { ScriptProcess, ServiceProcess } from './service-process.js';

const database = useTestDatabase();

function schemaVersionOf(url: string): Promise<number> {
  return withClient(url, readSchemaVersion);
}

describe('the migrate command and MIGRATE_ON_START=false', () => {
  it('a service started with MIGRATE_ON_START=false on an unmigrated database refuses to start', async () => {
    const service = new ServiceProcess('scoring', {
      DATABASE_URL: database().url,
      KAFKA_BROKERS: kafkaBrokers().join(','),
      MIGRATE_ON_START: 'false',
      PORT: '1',
    });
    const exit = await service.waitForExit(30_000);
    expect(exit.code).toBe(1);
    expect(service.output.stdout).toContain(
      `database schema is at version 0, this build needs ${await expectedSchemaVersion()}`,
    );
    expect(await schemaVersionOf(database().url)).toBe(0);
  });

  it('`pnpm migrate` refuses to run without DATABASE_URL, naming it', async () => {
    const migrate = new ScriptProcess('packages/platform/src/migrate-cli.ts', {});
    const exit = await migrate.waitForExit(30_000);
    expect(exit.code).toBe(1);
    expect(migrate.output.stderr).toContain('DATABASE_URL: is required but not set');
  });

  it('`pnpm migrate` against a database it cannot reach says so, naming DATABASE_URL without its password', async () => {
    const port = await freeLoopbackPort();
    const migrate = new ScriptProcess('packages/platform/src/migrate-cli.ts', {
      DATABASE_URL: `postgres://postgres:s3cret@127.0.0.1:${port}/leadscore`,
    });
    const exit = await migrate.waitForExit(30_000);
    const { stdout } = migrate.output;
    expect(exit.code).toBe(1);
    expect(stdout).toContain(
      `the database could not be reached: DATABASE_URL=postgres://postgres@127.0.0.1:${port}/leadscore (connect ECONNREFUSED`,
    );
    expect(stdout).toContain('nothing was migrated');
    expect(stdout).not.toContain('rolled back');
    expect(stdout).not.toContain('s3cret');
  });

  it('`pnpm migrate` brings the database to the version this build expects, and exits 0', async () => {
    const migrate = new ScriptProcess('packages/platform/src/migrate-cli.ts', {
      DATABASE_URL: database().url,
    });
    const exit = await migrate.waitForExit(30_000);
    expect(exit.code, migrate.output.stdout).toBe(0);
    expect(await schemaVersionOf(database().url)).toBe(await expectedSchemaVersion());
  });
});
