import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { collectDefaultMetrics, Histogram, Registry } from 'prom-client';

/**
 * A registry of the service's own, never prom-client's global one: several apps can live in one
 * process (the quickstart, tests) without "metric already registered" clashes.
 */
export function createMetricsRegistry(service: string): Registry {
  const registry = new Registry();
  registry.setDefaultLabels({ service });
  collectDefaultMetrics({ register: registry });
  return registry;
}

export interface MetricsPluginOptions {
  readonly registry: Registry;
}

/** GET /metrics in the Prometheus text format, and the duration of every request by route and status. */
export const metricsPlugin = fp<MetricsPluginOptions>(
  async (app: FastifyInstance, { registry }) => {
    const duration = new Histogram({
      name: 'http_request_duration_seconds',
      help: 'HTTP request duration, by method, route pattern and status code',
      labelNames: ['method', 'route', 'status_code'] as const,
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers: [registry],
    });

    app.addHook('onResponse', async (request, reply) => {
      duration.observe(
        {
          method: request.method,
          // The route pattern (/v1/leads/:id), never the raw URL: one series per route, not per lead.
          route: request.routeOptions.url ?? 'unmatched',
          status_code: String(reply.statusCode),
        },
        reply.elapsedTime / 1000,
      );
    });

    app.get('/metrics', { logLevel: 'warn' }, async (_request, reply) => {
      reply.type(registry.contentType);
      return registry.metrics();
    });
  },
  { name: 'leadscore-metrics', fastify: '5.x' },
);
