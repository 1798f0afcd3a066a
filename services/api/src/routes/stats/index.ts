import type { RouteOptions, ZodApp } from '../route-types.js';
import { funnelRoute } from './funnel.js';

/** /v1/stats...: figures over all leads. */
export async function statsRoutes(app: ZodApp, options: RouteOptions): Promise<void> {
  funnelRoute(app, options);
}
