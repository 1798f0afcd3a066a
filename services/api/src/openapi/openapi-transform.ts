import type { SwaggerTransform, SwaggerTransformObject } from '@fastify/swagger';
import { PROBLEM_CONTENT_TYPE, ProblemSchema } from '@leadscore/platform';
import { createJsonSchemaTransform, jsonSchemaTransformObject } from 'fastify-type-provider-zod';
import { z } from 'zod';

const zodTransform = createJsonSchemaTransform({ skipList: [] });

/** The components every operation refers to: the problem body and the API key scheme. */
export const sharedComponents = {
  schemas: {
    Problem: withoutDialect(z.toJSONSchema(ProblemSchema, { target: 'draft-2020-12', io: 'output' })),
  },
  securitySchemes: {
    apiKey: {
      type: 'http' as const,
      scheme: 'bearer',
      description:
        'An API key as "Authorization: Bearer <key>". Keys carry scopes: read to read leads, stats and ' +
        'rescoring jobs; admin to change stages, to manage rulesets (reading them included) and to start ' +
        'rescoring. Neither implies the other: a key may carry both.',
    },
  },
};

function withoutDialect(schema: Record<string, unknown>): Record<string, unknown> {
  const { $schema: _dialect, $id: _id, ...rest } = schema;
  return rest;
}

type ResponseEntry = { description?: string; content?: unknown };

const isPerMediaType = (entry: unknown): entry is ResponseEntry =>
  typeof entry === 'object' && entry !== null && 'content' in entry;

/**
 * What any operation answers while the instance shuts down (the platform's shutting-down plugin
 * answers it before any route runs, so no route declares it itself).
 */
const SHUTTING_DOWN_RESPONSE = {
  description:
    'The instance is shutting down (urn:leadscore:problem:shutting-down, with Retry-After and Connection: ' +
    'close): nothing was done; retry, which reaches an instance that is up',
  content: { [PROBLEM_CONTENT_TYPE]: { schema: { $ref: '#/components/schemas/Problem' } } },
};

/**
 * fastify-type-provider-zod's transform, plus the problem responses (declared per media type by
 * problemResponses) written as application/problem+json references to the shared Problem schema,
 * which the zod transform cannot read, and the 503 every operation can answer while shutting down.
 */
export const openApiTransform: SwaggerTransform = (input) => {
  const response = input.schema?.response as Record<string, unknown> | undefined;
  if (!input.schema || !response) return zodTransform(input);
  const problems = Object.entries(response).filter(([, entry]) => isPerMediaType(entry));
  const others = Object.fromEntries(Object.entries(response).filter(([, entry]) => !isPerMediaType(entry)));
  const transformed = zodTransform({ ...input, schema: { ...input.schema, response: others } });
  const schema = transformed.schema as { response?: Record<string, unknown> };
  schema.response = {
    ...schema.response,
    ...Object.fromEntries(
      problems.map(([status, entry]) => [
        status,
        {
          description: (entry as ResponseEntry).description,
          content: { [PROBLEM_CONTENT_TYPE]: { schema: { $ref: '#/components/schemas/Problem' } } },
        },
      ]),
    ),
    503: SHUTTING_DOWN_RESPONSE,
  };
  return transformed;
};

/**
 * Schemas given an id with `.meta({ id })` (Lead, Score, ...) become components the operations
 * refer to. The zod transform adds an input twin of each and stamps `$schema`/`$id` on them:
 * the twins nothing refers to are left out, and the stamps too (the document's dialect is 3.1's,
 * and a fragment `$id` is not a valid JSON Schema 2020-12 id).
 */
export const openApiTransformObject: SwaggerTransformObject = (input) => {
  const document = jsonSchemaTransformObject(input) as { components?: { schemas?: Record<string, unknown> } };
  const schemas = document.components?.schemas ?? {};
  const text = JSON.stringify({ ...document, components: { ...document.components, schemas: {} } });
  for (const [name, schema] of Object.entries(schemas)) {
    const referenced = text.includes(`"#/components/schemas/${name}"`);
    if (name.endsWith('Input') && !referenced) delete schemas[name];
    else schemas[name] = withoutDialect(schema as Record<string, unknown>);
  }
  return document as ReturnType<SwaggerTransformObject>;
};
