import type { Bus } from '@leadscore/kafka';
import { createHttpApp, type ServiceDependencies } from '@leadscore/platform';
import type { FastifyInstance } from 'fastify';

export type ProjectorDependencies = ServiceDependencies<Bus>;

/**
 * The projector service's app: the stage projector: promotes leads through the funnel and schedules decay checks.
 * Built from its dependencies only, so the quickstart and tests can build it against any bus and pool.
 */
export async function buildApp(deps: ProjectorDependencies): Promise<FastifyInstance> {
  return createHttpApp(deps);
}
