import { describe, expect, it } from 'vitest';
import { SERVICE_NAMES } from '../../packages/platform/src/index.js';
import { freeLoopbackPort } from '../setup/free-port.js';
import { kafkaBrokers, uniqueTopicPrefix, useTestDatabase } from '../support/infra.js';
import { ServiceProcess, waitUntilAnswering } from './service-process.js';

const database = useTestDatabase();
// Draining the ingest consumer, leaving its group and stopping the relay took over 5 s once on a
// CI machine at load 24 on 2 cores; 10 s still proves the drain is bounded by the grace period.
const SHUTDOWN_GRACE_MS = 10_000;

describe.each(SERVICE_NAMES)('the %s service process', (service) => {
  it('serves health, readiness and metrics against real PostgreSQL and Kafka, and stops on SIGTERM', async () => {
    const port = await freeLoopbackPort();
    const baseUrl = `http://127.0.0.1:${port}`;
    const process = new ServiceProcess(service, {
      HOST: '127.0.0.1',
      PORT: String(port),
      DATABASE_URL: database().url,
      KAFKA_BROKERS: kafkaBrokers().join(','),
      TOPIC_PREFIX: uniqueTopicPrefix(),
      SHUTDOWN_GRACE_MS: String(SHUTDOWN_GRACE_MS),
    });
    try {
      await waitUntilAnswering(`${baseUrl}/healthz`, process, 40_000);

      const ready = await fetch(`${baseUrl}/readyz`);
      expect(ready.status).toBe(200);
      expect(await ready.json()).toMatchObject({
        status: 'ready',
        checks: { postgres: { status: 'up' }, kafka: { status: 'up' } },
      });

      const metrics = await fetch(`${baseUrl}/metrics`);
      expect(metrics.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
      const text = await metrics.text();
      expect(text).toContain(`process_resident_memory_bytes{service="${service}"}`);
      expect(text).toMatch(/^http_request_duration_seconds_count\{.*route="\/readyz".*\} 1$/m);

      process.kill('SIGTERM');
      const exit = await process.waitForExit(SHUTDOWN_GRACE_MS + 2_000);
      expect(exit.code).toBe(0);
      expect(exit.elapsedMs).toBeLessThan(SHUTDOWN_GRACE_MS);

      const lines = process.output.stdout
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line) as { service: string; msg: string; signal?: string });
      expect(lines.every((line) => line.service === service)).toBe(true);
      expect(lines).toContainEqual(expect.objectContaining({ msg: 'shutting down', signal: 'SIGTERM' }));
      expect(lines.at(-1)?.msg).toBe('stopped');
    } finally {
      process.kill('SIGKILL');
    }
  });
});
