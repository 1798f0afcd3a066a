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

  it('declares every refusal an operation can answer: 400 where it reads input, 413 and 415 where it reads a body', async () => {
    const undeclared = (await operationsOf()).flatMap(({ name, operation }) => {
      const reads = (operation.parameters?.length ?? 0) > 0 || operation.requestBody !== undefined;
      const expected = [
        ...(reads ? ['400'] : []),
        ...(operation.requestBody === undefined ? [] : ['413', '415']),
      ];
      return expected
        .filter((status) => !(status in operation.responses))
        .map((status) => `${name} ${status}`);
    });
    expect(undeclared).toEqual([]);
  });

  it('describes the scopes as the operations require them', async () => {
    const scopes = new Map<string, string[]>();
    for (const { name, operation } of await operationsOf()) {
      const scope = operation.security?.[0]?.apiKey?.[0] ?? 'none';
      scopes.set(scope, [...(scopes.get(scope) ?? []), name]);
    }
    const isRead = (name: string) => /^GET \/v1\/(leads|stats|rescoring)/.test(name);
    expect(scopes.get('read')?.every(isRead)).toBe(true);
    expect(scopes.get('admin')?.some(isRead)).toBe(false);
    expect([...scopes.keys()].sort()).toEqual(['admin', 'read']);
    const document = (await buildOpenApiDocument()) as {
      components: { securitySchemes: { apiKey: { description: string } } };
    };
    expect(document.components.securitySchemes.apiKey.description).toContain(
      'read to read leads, stats and rescoring jobs; admin to change stages, to manage rulesets (reading them ' +
        'included) and to start rescoring',
    );
  });
});

interface Operation {
  readonly security?: readonly { readonly apiKey?: readonly string[] }[];
  readonly parameters?: readonly unknown[];
  readonly requestBody?: unknown;
  readonly responses: Record<string, unknown>;
}

async function operationsOf(): Promise<{ name: string; operation: Operation }[]> {
  const document = (await buildOpenApiDocument()) as { paths: Record<string, Record<string, Operation>> };
  return Object.entries(document.paths).flatMap(([path, methods]) =>
    Object.entries(methods).map(([method, operation]) => ({
      name: `${method.toUpperCase()} ${path}`,
      operation,
    })),
  );
}
