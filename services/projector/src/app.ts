import type { Bus } from '@leadscore/kafka';
import { createHttpApp, type ServiceDependencies } from '@leadscore/platform';
import type { FastifyInstance } from 'fastify';
import { type Projector, type ProjectorOptions, registerProjector } from './projector-module.js';

export type ProjectorDependencies = ServiceDependencies<Bus>;

declare module 'fastify' {
  interface FastifyInstance {
    /** The running projector: manual stage changes and on-demand decay checks. */
    projector: Projector;
  }
}

/**
 * The projector service's app: promotes leads through the funnel from score changes, and checks
 * leads whose score decay will carry across a threshold when that moment comes.
 * Built from its dependencies only, so the quickstart and tests can build it against any bus and pool.
 */
export async function buildApp(
  deps: ProjectorDependencies,
  options: ProjectorOptions = {},
): Promise<FastifyInstance> {
  const app = await createHttpApp(deps);
  app.decorate('projector', await registerProjector(app, deps, options));
  return app;
}
