import type { Queryable } from '@leadscore/eventstore';
import Fastify from 'fastify';
import { registerApiDocs } from '../plugins/api-docs.js';
import { v1Routes } from '../routes/index.js';

/** Where the committed document lives, from the repository root. */
export const OPENAPI_PATH = 'openapi/openapi.json';

const notAvailable = (what: string) => () => {
  throw new Error(`${what} is not available while the OpenAPI document is generated`);
};

/**
 * The OpenAPI document of the routes, built without a database or Kafka: registering routes
 * reads only their schemas, so the dependencies handlers use are stand-ins that refuse to work.
 * The running app serves the same document at /docs/json (an api integration test compares them).
 */
export async function buildOpenApiDocument(): Promise<Record<string, unknown>> {
  const app = Fastify({ logger: false });
  await registerApiDocs(app);
  await app.register(v1Routes, {
    context: {
      db: { query: notAvailable('the database') } as unknown as Queryable,
      ruleset: notAvailable('the ruleset catalog'),
      rulesetAsOf: notAvailable('the ruleset catalog'),
      now: Date.now,
    },
    apiKeys: [],
    changeStageManually: notAvailable('changing stages'),
  });
  await app.ready();
  const document = app.swagger() as unknown as Record<string, unknown>;
  await app.close();
  return document;
}

/** The document as committed: two-space JSON with a final newline, so diffs stay readable. */
export function renderOpenApiDocument(document: Record<string, unknown>): string {
  return `${JSON.stringify(document, null, 2)}\n`;
}
