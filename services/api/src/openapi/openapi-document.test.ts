import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { buildOpenApiDocument, OPENAPI_PATH, renderOpenApiDocument } from './openapi-document.js';

const committedPath = new URL(`../../../../${OPENAPI_PATH}`, import.meta.url);

describe('openapi/openapi.json', () => {
  it('is the document the routes generate (run `pnpm openapi` and commit it when this fails)', async () => {
    const generated = renderOpenApiDocument(await buildOpenApiDocument());
    const committed = await readFile(committedPath, 'utf8');
    expect(committed).toBe(generated);
  });

  it('is OpenAPI 3.1 with every /v1 operation, each guarded by a scope and answering problem+json errors', async () => {
    const document = (await buildOpenApiDocument()) as {
      openapi: string;
      paths: Record<
        string,
        Record<string, { security?: unknown; responses: Record<string, { content?: object }> }>
      >;
    };
    expect(document.openapi).toBe('3.1.0');
    const operations = Object.entries(document.paths).flatMap(([path, methods]) =>
      Object.entries(methods).map(([method, operation]) => ({ path, method, operation })),
    );
    expect(operations.map(({ method, path }) => `${method.toUpperCase()} ${path}`).sort()).toEqual([
      'GET /v1/leads',
      'GET /v1/leads/by-email/{email}',
      'GET /v1/leads/{id}',
      'GET /v1/leads/{id}/events',
      'GET /v1/leads/{id}/score',
      'GET /v1/leads/{id}/stages',
      'GET /v1/rescoring',
      'GET /v1/rescoring/{jobId}',
      'GET /v1/rulesets',
      'GET /v1/rulesets/{a}/diff/{b}',
      'GET /v1/rulesets/{version}',
      'GET /v1/stats/funnel',
      'POST /v1/leads/{id}/stage',
      'POST /v1/rescoring',
      'POST /v1/rulesets',
      'POST /v1/rulesets/{version}/publish',
      'POST /v1/rulesets/{version}/simulate',
    ]);
    for (const { operation } of operations) {
      expect(operation.security).toBeDefined();
      expect(Object.keys(operation.responses['401']?.content ?? {})).toEqual(['application/problem+json']);
    }
  });
});
