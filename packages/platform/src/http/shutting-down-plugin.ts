import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { problemType } from './problem.js';
import { sendProblem } from './problem-plugin.js';

/** Slug of the problem a request gets while the service shuts down: urn:leadscore:problem:shutting-down. */
export const SHUTTING_DOWN_PROBLEM = 'shutting-down';

/**
 * Seconds a client is told to wait. Behind a load balancer the retry reaches another instance
 * whatever it waits; a lone instance needs its restart, a few seconds. Five, as the webhook's
 * other 503 (Kafka unavailable), so a sender has one retry policy for every 503.
 */
export const SHUTTING_DOWN_RETRY_AFTER_SECONDS = 5;

/**
 * The answer to a request that arrives once the app has begun to close (SIGTERM): the listener
 * no longer accepts connections, but a request can still come on a kept-alive connection, or
 * pipelined behind one in flight. Fastify's own answer (return503OnClosing) is a plain JSON
 * body, not the problem+json the OpenAPI documents promise for every error, so createHttpApp
 * turns it off and this plugin answers instead: 503 `shutting-down`, with Retry-After, and
 * Connection: close so the retry opens a new connection, to an instance that is up.
 *
 * preClose runs as soon as close() starts, before the server stops listening and before the
 * consumers and pools close (onClose), so from then on nothing reaches a route.
 */
export const shuttingDownPlugin = fp(
  async (app: FastifyInstance) => {
    let closing = false;
    app.addHook('preClose', async () => {
      closing = true;
    });
    app.addHook('onRequest', async (request, reply) => {
      if (!closing) return;
      reply.header('retry-after', String(SHUTTING_DOWN_RETRY_AFTER_SECONDS)).header('connection', 'close');
      return sendProblem(reply, {
        type: problemType(SHUTTING_DOWN_PROBLEM),
        title: 'Service shutting down',
        status: 503,
        detail: `this instance is shutting down and took nothing from the request; retry after ${SHUTTING_DOWN_RETRY_AFTER_SECONDS} s`,
        instance: request.url,
      });
    });
  },
  { name: 'leadscore-shutting-down', fastify: '5.x' },
);
