import type { Bus } from '@leadscore/kafka';
import { createHttpApp, type ServiceDependencies } from '@leadscore/platform';
import type { FastifyInstance } from 'fastify';
import { defaultActiveRuleset } from './engine/active-ruleset.js';
import { registerScoring, scoringSettingsFrom } from './scoring-module.js';

export type ScoringDependencies = ServiceDependencies<Bus>;

/**
 * The scoring service's app: the consumer that scores recorded lead events with the active
 * ruleset into lead_scores and publishes score changes and alerts.
 * Built from its dependencies only, so the quickstart and tests can build it against any bus and pool.
 */
export async function buildApp(deps: ScoringDependencies): Promise<FastifyInstance> {
  const app = await createHttpApp(deps);
  await registerScoring(app, deps, scoringSettingsFrom(deps.config), defaultActiveRuleset());
  return app;
}
