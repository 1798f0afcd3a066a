import type { RouteOptions, ZodApp } from '../route-types.js';
import { rulesetReadRoutes } from './ruleset-reads.js';
import { rulesetWriteRoutes } from './ruleset-writes.js';
import { simulateRulesetRoute } from './simulate-ruleset.js';

/** /v1/rulesets...: the versions of the scoring model, drafting, diffing, simulating, publishing. */
export async function rulesetRoutes(app: ZodApp, options: RouteOptions): Promise<void> {
  rulesetReadRoutes(app, options);
  rulesetWriteRoutes(app, options);
  simulateRulesetRoute(app, options);
}
