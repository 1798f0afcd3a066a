import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { problemType } from './problem.js';
import { sendProblem } from './problem-plugin.js';
import { type ReadinessCheck, runReadinessChecks } from './readiness-checks.js';

export interface HealthPluginOptions {
  readonly checks: readonly ReadinessCheck[];
  readonly timeoutMs: number;
}

/**
 * /healthz: liveness, 200 for as long as the process serves HTTP (a restart would not help
 * with a dependency outage). /readyz: 200 only while every dependency answers, so load balancers
 * and orchestrators stop routing to an instance that cannot do its work.
 */
export const healthPlugin = fp<HealthPluginOptions>(
  async (app: FastifyInstance, options) => {
    // Probes hit these every few seconds; logging each one would drown the real traffic.
    app.get('/healthz', { logLevel: 'warn' }, async () => ({ status: 'ok' }));

    app.get('/readyz', { logLevel: 'warn' }, async (request, reply) => {
      const checks = await runReadinessChecks(options.checks, options.timeoutMs);
      const failing = Object.entries(checks).filter(([, outcome]) => outcome.status === 'down');
      if (failing.length === 0) return { status: 'ready', checks };
      request.log.warn({ checks }, 'not ready');
      return sendProblem(reply, {
        type: problemType('not-ready'),
        title: 'Service not ready',
        status: 503,
        detail: failing.map(([name, outcome]) => `${name}: ${outcome.error}`).join('; '),
        instance: request.url,
        checks,
      });
    });
  },
  { name: 'leadscore-health', fastify: '5.x' },
);
