import type { Bus } from '@leadscore/kafka';
import { createHttpApp, type ServiceDependencies } from '@leadscore/platform';
import type { FastifyInstance } from 'fastify';

export type ApiDependencies = ServiceDependencies<Bus>;

/**
 * The api service's app: the REST API for operations people (leads, scores, rulesets, stats).
 * Built from its dependencies only, so the quickstart and tests can build it against any bus and pool.
 */
export async function buildApp(deps: ApiDependencies): Promise<FastifyInstance> {
  return createHttpApp(deps);
}
