import { apiKeyAuthPlugin, type ConfiguredApiKey, refuseUnstorableText } from '@leadscore/platform';
import type { FastifyInstance } from 'fastify';
import { serializerCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import type { ApiContext } from '../api-context.js';
import { acceptJsonBodiesOnly } from '../http/json-bodies.js';
import { refuseUnknownQueryParameters, requirePlainQuerySchema } from '../http/known-query-parameters.js';
import { apiValidatorCompiler } from '../http/validator-compiler.js';
import type { ChangeStageManually } from './leads/change-stage.js';
import { leadRoutes } from './leads/index.js';
import { rescoringRoutes } from './rescoring/index.js';
import { rulesetRoutes } from './rulesets/index.js';
import { statsRoutes } from './stats/index.js';

export interface V1RoutesOptions {
  readonly context: ApiContext;
  readonly apiKeys: readonly ConfiguredApiKey[];
  readonly changeStageManually: ChangeStageManually;
}

/**
 * Every /v1 route, in a scope of their own: zod validates requests and serializes responses
 * (problems included), bodies are JSON, text PostgreSQL cannot store (U+0000, unpaired surrogates)
 * and query parameters a route does not declare are refused before any route sees them, and Bearer keys guard each route by scope (read, admin).
 */
export async function v1Routes(app: FastifyInstance, options: V1RoutesOptions): Promise<void> {
  app.setValidatorCompiler(apiValidatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  acceptJsonBodiesOnly(app);
  app.addHook('preValidation', refuseUnstorableText);
  app.addHook('onRoute', requirePlainQuerySchema);
  app.addHook('preValidation', refuseUnknownQueryParameters);
  await app.register(apiKeyAuthPlugin, { keys: options.apiKeys, realm: 'leadscore-api' });
  const zodApp = app.withTypeProvider<ZodTypeProvider>();
  await zodApp.register(leadRoutes, options);
  await zodApp.register(statsRoutes, options);
  await zodApp.register(rulesetRoutes, options);
  await zodApp.register(rescoringRoutes, options);
}
