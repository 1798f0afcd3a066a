import { describe, expect, it } from 'vitest';
import { SERVICE_NAMES } from '../../packages/platform/src/index.js';
import { ServiceProcess } from './service-process.js';

describe('a service started with a bad environment', () => {
  it.each(SERVICE_NAMES)('%s exits with code 1 naming every bad variable', async (service) => {
    const process = new ServiceProcess(service, {
      PORT: 'abc',
      KAFKA_BROKERS: '127.0.0.1:19092',
      MIGRATE_ON_START: 'sometimes',
    });
    const exit = await process.waitForExit(30_000);
    const { stdout, stderr } = process.output;

    expect(exit.code).toBe(1);
    expect(stderr).toContain(`Invalid configuration for leadscore ${service}: 3 problem(s)`);
    expect(stderr).toContain('DATABASE_URL: is required but not set');
    expect(stderr).toContain('PORT: must be a whole number (got "abc")');
    expect(stderr).toContain('MIGRATE_ON_START: must be true or false (got "sometimes")');
    expect(stderr).not.toContain('KAFKA_BROKERS');
    // Nothing else ran: no log lines, no stack trace.
    expect(stdout).toBe('');
    expect(stderr).not.toMatch(/\n\s+at /);
  });
});
