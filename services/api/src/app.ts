import type { Bus } from '@leadscore/kafka';
import { createHttpApp, type ServiceDependencies } from '@leadscore/platform';
import {
  createManualStageChange,
  createProjectorMetrics,
  storedRulesetCatalog,
} from '@leadscore/projector-service';
import { type StoredRulesets, storedRulesets } from '@leadscore/rulesets';
import type { CompiledRuleset } from '@leadscore/scoring';
import type { FastifyInstance } from 'fastify';
import type { ApiContext } from './api-context.js';
import { registerApiDocs } from './plugins/api-docs.js';
import { v1Routes } from './routes/index.js';
import type { ChangeStageManually } from './routes/leads/change-stage.js';

export type ApiDependencies = ServiceDependencies<Bus>;

export interface ApiOptions {
  /** The clock (epoch ms) scores decay to. Defaults to Date.now. */
  readonly now?: () => number;
  /** The ruleset scores are computed with. Defaults to the active version in the store. */
  readonly ruleset?: CompiledRuleset;
  /** How a manual stage change is recorded. Defaults to the projector's, on the same database. */
  readonly changeStageManually?: ChangeStageManually;
}

/**
 * The api service's app: the REST API for operations people (leads, scores, stages, stats), its
 * OpenAPI document and Swagger UI at /docs. Built from its dependencies only, so the quickstart
 * and tests can build it against any bus and pool.
 */
export async function buildApp(deps: ApiDependencies, options: ApiOptions = {}): Promise<FastifyInstance> {
  const app = await createHttpApp(deps);
  await registerApiDocs(app);
  const rulesets = storedRulesets();
  const fixed = options.ruleset;
  const context: ApiContext = {
    db: deps.pool,
    ruleset: fixed ? async () => fixed : () => rulesets.active(deps.pool),
    rulesetAsOf: fixed ? async () => fixed : (version) => rulesets.activeAsOf(deps.pool, version),
    now: options.now ?? Date.now,
  };
  await app.register(v1Routes, {
    context,
    apiKeys: deps.config.api.apiKeys,
    changeStageManually: options.changeStageManually ?? manualStageChangeOf(deps, context, rulesets),
  });
  return app;
}

/**
 * Manual stage changes go through the projector's decision path (same optimistic concurrency,
 * same event shape, same read model), run in this process against the shared database.
 */
function manualStageChangeOf(
  deps: ApiDependencies,
  context: ApiContext,
  rulesets: StoredRulesets,
): ChangeStageManually {
  return createManualStageChange({
    pool: deps.pool,
    // Leads are decided under the version they were scored with, published versions included.
    rulesets: storedRulesetCatalog(rulesets, deps.pool),
    now: context.now,
    logger: deps.logger.child({ component: 'manual-stage-change' }),
    metrics: createProjectorMetrics(deps.metrics),
  });
}
