import type { FastifyInstance } from 'fastify';
import { expect } from 'vitest';
import { KEYS } from './pipeline.js';

export interface ApiResponse {
  readonly status: number;
  readonly headers: Record<string, unknown>;
  // biome-ignore lint/suspicious/noExplicitAny: response bodies are asserted field by field
  readonly body: any;
}

/** Calls the api in process, with a Bearer key (the read key unless told otherwise; null for none). */
export async function call(
  api: FastifyInstance,
  method: 'GET' | 'POST',
  url: string,
  options: { key?: string | null; body?: unknown } = {},
): Promise<ApiResponse> {
  const key = options.key === undefined ? KEYS.read : options.key;
  const response = await api.inject({
    method,
    url,
    headers: key === null ? {} : { authorization: `Bearer ${key}` },
    ...(options.body === undefined ? {} : { payload: options.body as object }),
  });
  return { status: response.statusCode, headers: response.headers, body: response.json() };
}

export const get = (api: FastifyInstance, url: string, key?: string | null) => call(api, 'GET', url, { key });

/** Asserts a problem+json answer with this status and, when given, these bad fields. */
export function expectProblem(response: ApiResponse, status: number, fields?: readonly string[]): void {
  expect(response.status, JSON.stringify(response.body)).toBe(status);
  expect(response.headers['content-type']).toContain('application/problem+json');
  expect(response.body).toMatchObject({ status, type: expect.any(String), title: expect.any(String) });
  if (fields) {
    expect(response.body.errors.map((error: { path: string }) => error.path).sort()).toEqual(
      [...fields].sort(),
    );
  }
}
