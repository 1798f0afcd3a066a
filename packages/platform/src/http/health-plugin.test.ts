import Fastify from 'fastify';
import { describe, expect, it } from 'vitest';
import { healthPlugin } from './health-plugin.js';
import type { ReadinessCheck } from './readiness-checks.js';

const up = (name: string): ReadinessCheck => ({ name, check: async () => {} });
const failing = (name: string, reason: string): ReadinessCheck => ({
  name,
  check: async () => {
    throw new Error(reason);
  },
});
const hanging = (name: string): ReadinessCheck => ({ name, check: () => new Promise(() => {}) });

async function appWith(checks: ReadinessCheck[]) {
  const app = Fastify({ logger: false });
  await app.register(healthPlugin, { checks, timeoutMs: 100 });
  return app;
}

describe('health plugin', () => {
  it('answers /healthz 200 even when a dependency is down', async () => {
    const app = await appWith([failing('postgres', 'connection refused')]);
    const response = await app.inject({ method: 'GET', url: '/healthz' });
    expect(response.statusCode).toBe(200);
  });

  it('answers /readyz 200 with each check when all are up', async () => {
    const app = await appWith([up('postgres'), up('kafka')]);
    const response = await app.inject({ method: 'GET', url: '/readyz' });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({
      status: 'ready',
      checks: { postgres: { status: 'up' }, kafka: { status: 'up' } },
    });
  });

  it('answers /readyz 503 problem+json naming the failing check', async () => {
    const app = await appWith([up('postgres'), failing('kafka', 'no brokers available')]);
    const response = await app.inject({ method: 'GET', url: '/readyz' });
    expect(response.statusCode).toBe(503);
    expect(response.headers['content-type']).toMatch('application/problem+json');
    expect(response.json()).toMatchObject({
      type: 'urn:leadscore:problem:not-ready',
      status: 503,
      detail: 'kafka: no brokers available',
      checks: { postgres: { status: 'up' }, kafka: { status: 'down', error: 'no brokers available' } },
    });
  });

  it('fails a check that does not answer within the timeout', async () => {
    const app = await appWith([hanging('postgres')]);
    const started = Date.now();
    const response = await app.inject({ method: 'GET', url: '/readyz' });
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(response.statusCode).toBe(503);
    expect(response.json().detail).toBe('postgres: timed out after 100 ms');
  });
});
