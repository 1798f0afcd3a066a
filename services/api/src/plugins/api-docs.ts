import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { FastifyInstance } from 'fastify';
import { openApiTransform, openApiTransformObject, sharedComponents } from '../openapi/openapi-transform.js';

export const DOCS_PREFIX = '/docs';

/** The version of the /v1 contract: bumped with every change to the document. */
export const API_VERSION = '1.0.0';

/**
 * The OpenAPI 3.1 document, generated from the route schemas registered after this call, and
 * Swagger UI at /docs (the document itself at /docs/json). Operations are tagged; untagged routes
 * (health, metrics) stay out of the document.
 */
export async function registerApiDocs(app: FastifyInstance): Promise<void> {
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'leadscore API',
        version: API_VERSION,
        description:
          'Leads, scores with time travel and explanations, event and stage history, funnel figures. ' +
          'Errors are RFC 9457 problem details (application/problem+json).',
      },
      tags: [
        { name: 'leads', description: 'Leads, their scores, history and stages' },
        { name: 'stats', description: 'Figures over all leads' },
        {
          name: 'rulesets',
          description:
            'Ruleset versions: drafts, diffs, backtests, publication, and the rescoring jobs it starts',
        },
      ],
      components: sharedComponents,
    },
    hideUntagged: true,
    transform: openApiTransform,
    transformObject: openApiTransformObject,
  });
  await app.register(swaggerUi, { routePrefix: DOCS_PREFIX });
}
