import { describe, expect, it } from 'vitest';
import { freeLoopbackPort } from '../setup/free-port.js';
import { useTestDatabase } from '../support/infra.js';
import { ServiceProcess, waitUntilAnswering } from './service-process.js';

const database = useTestDatabase();

describe('a service whose Kafka is unreachable', () => {
  it('stays alive (/healthz 200) but answers /readyz 503 naming the kafka check', async () => {
    const [port, deadBrokerPort] = await Promise.all([freeLoopbackPort(), freeLoopbackPort()]);
    const baseUrl = `http://127.0.0.1:${port}`;
    const process = new ServiceProcess('api', {
      HOST: '127.0.0.1',
      PORT: String(port),
      DATABASE_URL: database().url,
      KAFKA_BROKERS: `127.0.0.1:${deadBrokerPort}`,
      READINESS_TIMEOUT_MS: '1000',
    });
    try {
      await waitUntilAnswering(`${baseUrl}/healthz`, process, 40_000);

      const response = await fetch(`${baseUrl}/readyz`);
      expect(response.status).toBe(503);
      expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      const problem = (await response.json()) as { detail: string };
      expect(problem).toMatchObject({
        type: 'urn:leadscore:problem:not-ready',
        status: 503,
        instance: '/readyz',
        checks: { postgres: { status: 'up' }, kafka: { status: 'down' } },
      });
      expect(problem.detail).toMatch(/^kafka: /);
    } finally {
      process.kill('SIGKILL');
    }
  });
});
