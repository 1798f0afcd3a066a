import Fastify from 'fastify';
import { describe, expect, it } from 'vitest';
import { createMetricsRegistry, metricsPlugin } from './metrics-plugin.js';

async function appWithMetrics() {
  const app = Fastify({ logger: false });
  await app.register(metricsPlugin, { registry: createMetricsRegistry('test-service') });
  app.get('/leads/:id', async () => ({ ok: true }));
  return app;
}

describe('metrics plugin', () => {
  it('serves process metrics and request durations by route pattern in the Prometheus text format', async () => {
    const app = await appWithMetrics();
    await app.inject({ method: 'GET', url: '/leads/1' });
    await app.inject({ method: 'GET', url: '/leads/2' });
    const response = await app.inject({ method: 'GET', url: '/metrics' });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toMatch('text/plain');
    expect(response.body).toContain('process_cpu_user_seconds_total{service="test-service"}');
    const count = response.body
      .split('\n')
      .find(
        (line) =>
          line.startsWith('http_request_duration_seconds_count') && line.includes('route="/leads/:id"'),
      );
    expect(count).toMatch(/method="GET"/);
    expect(count).toMatch(/status_code="200"/);
    expect(count).toMatch(/service="test-service"/);
    expect(count).toMatch(/ 2$/);
  });

  it('lets two apps live in one process, each with its own registry', async () => {
    const [first, second] = await Promise.all([appWithMetrics(), appWithMetrics()]);
    await first.inject({ method: 'GET', url: '/leads/1' });
    const secondMetrics = await second.inject({ method: 'GET', url: '/metrics' });
    expect(secondMetrics.body).not.toContain('route="/leads/:id"');
  });
});
