import { describe, expect, it } from 'vitest';
import { kafkaBrokers, useTestDatabase } from '../support/infra.js';
import { ServiceProcess } from './service-process.js';

const database = useTestDatabase();

describe('a service whose database cannot be reached at start', () => {
  it('exits 1 with a fatal line naming DATABASE_URL (host and database, never the password)', async () => {
    // The test server, with a password added and a database that does not exist on it.
    const url = new URL(database().url);
    url.password = 's3cret';
    url.pathname = `/${url.pathname.slice(1)}_missing`;
    const service = new ServiceProcess('projector', {
      DATABASE_URL: url.toString(),
      KAFKA_BROKERS: kafkaBrokers().join(','),
      PORT: '1',
    });
    const exit = await service.waitForExit(30_000);
    expect(exit.code).toBe(1);

    const lines = service.output.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { level: string; msg: string; database?: string });
    const fatal = lines.find((line) => line.level === 'fatal');
    const shown = `${url.protocol}//${url.username}@${url.host}${url.pathname}`;
    expect(fatal?.msg).toContain(
      `could not start: the database could not be reached: DATABASE_URL=${shown} (`,
    );
    expect(fatal?.database).toBe(shown);
    expect(service.output.stdout + service.output.stderr).not.toContain('s3cret');
  });
});
