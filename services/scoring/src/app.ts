import type { Bus } from '@leadscore/kafka';
import { createHttpApp, type ServiceDependencies } from '@leadscore/platform';
import type { FastifyInstance } from 'fastify';

export type ScoringDependencies = ServiceDependencies<Bus>;

/**
 * The scoring service's app: the scorer: applies the published ruleset to recorded lead events.
 * Built from its dependencies only, so the quickstart and tests can build it against any bus and pool.
 */
export async function buildApp(deps: ScoringDependencies): Promise<FastifyInstance> {
  return createHttpApp(deps);
}
