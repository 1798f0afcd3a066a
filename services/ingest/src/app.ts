import type { Bus } from '@leadscore/kafka';
import { createHttpApp, type ServiceDependencies } from '@leadscore/platform';
import type { FastifyInstance } from 'fastify';
import { ingestSettingsFrom, registerIngest } from './ingest-module.js';
import { registerRelay } from './relay/register-relay.js';

export type IngestDependencies = ServiceDependencies<Bus>;

/**
 * The ingest service's app: the webhook (POST /v1/events), the consumer that stores activity in the
 * event store, and the outbox relay that publishes what the store recorded.
 * Built from its dependencies only, so the quickstart and tests can build it against any bus and pool.
 */
export async function buildApp(deps: IngestDependencies): Promise<FastifyInstance> {
  const app = await createHttpApp(deps);
  await registerIngest(app, deps, ingestSettingsFrom(deps.config));
  await registerRelay(app, deps);
  return app;
}
