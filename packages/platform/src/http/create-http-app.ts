import { randomUUID } from 'node:crypto';
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type { ServiceBus, ServiceDependencies } from '../service/service-dependencies.js';
import { healthPlugin } from './health-plugin.js';
import { metricsPlugin } from './metrics-plugin.js';
import { statusProblem } from './problem.js';
import { problemJsonPlugin, sendProblem } from './problem-plugin.js';
import { busReadiness, postgresReadiness } from './readiness-checks.js';
import { shuttingDownPlugin } from './shutting-down-plugin.js';

export interface HttpAppOptions {
  /** Largest accepted request body in bytes (fastify's default is 1 MiB). */
  readonly bodyLimit?: number;
}

/**
 * The fastify instance every service starts from: structured request logs with a request id,
 * problem+json errors (503 `shutting-down` too, for a request arriving while it closes), /healthz,
 * /readyz (PostgreSQL and the bus) and /metrics. Services add their routes and consumers to it.
 */
export async function createHttpApp<TBus extends ServiceBus>(
  deps: ServiceDependencies<TBus>,
  options: HttpAppOptions = {},
): Promise<FastifyInstance> {
  // Typed as fastify's base logger so the app is a plain FastifyInstance every plugin accepts.
  const loggerInstance: FastifyBaseLogger = deps.logger;
  const app = Fastify({
    loggerInstance,
    requestIdHeader: 'x-request-id',
    genReqId: () => randomUUID(),
    // Path parameters carry lead ids (up to 128 characters) and email addresses (up to 254, more
    // once percent-encoded): fastify's default limit of 100 would refuse valid ones with a 414.
    routerOptions: { maxParamLength: 1024 },
    // Errors raised while routing (a malformed URL, an oversized parameter) answer problem+json too.
    frameworkErrors: (error, request, reply) =>
      sendProblem(reply, statusProblem(error.statusCode ?? 400, request.url, error.message)),
    // A request arriving while the app closes is answered by shuttingDownPlugin, in problem+json.
    return503OnClosing: false,
    ...(options.bodyLimit === undefined ? {} : { bodyLimit: options.bodyLimit }),
  });
  await app.register(problemJsonPlugin);
  await app.register(shuttingDownPlugin);
  await app.register(metricsPlugin, { registry: deps.metrics });
  await app.register(healthPlugin, {
    checks: [postgresReadiness(deps.pool), busReadiness(deps.bus)],
    timeoutMs: deps.config.readinessTimeoutMs,
  });
  return app;
}
