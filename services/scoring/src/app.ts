import type { Bus } from '@leadscore/kafka';
import { createHttpApp, type ServiceDependencies } from '@leadscore/platform';
import { ensureDefaultRuleset, storedRulesets } from '@leadscore/rulesets';
import type { FastifyInstance } from 'fastify';
import { storedActiveRuleset } from './rulesets/stored-active-ruleset.js';
import { registerScoring, scoringSettingsFrom } from './scoring-module.js';

export type ScoringDependencies = ServiceDependencies<Bus>;

export interface ScoringAppOptions {
  /** Leads per rescoring batch. */
  readonly rescoringBatchSize?: number;
}

/**
 * The scoring service's app: the consumer that scores recorded lead events with the published
 * ruleset version into lead_scores and publishes score changes and alerts, and the runner of the
 * rescoring jobs publishing a version starts.
 * Built from its dependencies only, so the quickstart and tests can build it against any bus and pool.
 */
export async function buildApp(
  deps: ScoringDependencies,
  options: ScoringAppOptions = {},
): Promise<FastifyInstance> {
  const app = await createHttpApp(deps);
  // A new database gets the default ruleset as version 1, published.
  await ensureDefaultRuleset(deps.pool);
  const rulesets = storedRulesets();
  const settings = { ...scoringSettingsFrom(deps.config), ...options };
  await registerScoring(app, deps, settings, storedActiveRuleset(rulesets), Date.now, rulesets);
  return app;
}
