import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { useApiUnderTest } from '../test-support/api-under-test.js';
import { requirePlainQuerySchema, UNKNOWN_PARAMETER_MESSAGE } from './known-query-parameters.js';

const api = useApiUnderTest();

async function refusal(url: string) {
  api().queries.length = 0;
  const response = await api().request({ method: 'GET', url });
  return { status: response.statusCode, body: response.json(), queries: [...api().queries] };
}

const unknown = (...paths: string[]) =>
  paths.map((path) => ({ in: 'querystring', path, message: UNKNOWN_PARAMETER_MESSAGE }));

describe('query parameters a route does not declare', () => {
  it('are refused by name, before anything is read, instead of being dropped', async () => {
    const misspelt = await refusal('/v1/leads?minscore=150&stage=mql');
    expect(misspelt.status).toBe(400);
    expect(misspelt.body).toMatchObject({
      type: 'urn:leadscore:problem:validation',
      errors: unknown('minscore'),
    });
    expect(misspelt.queries).toEqual([]);

    const events = await refusal('/v1/leads/lead-1/events?order=desc&limit=5');
    expect(events.body.errors).toEqual(unknown('order'));
  });

  it('are refused on routes that declare none', async () => {
    const lead = await refusal('/v1/leads/lead-1?fields=score&expand=stages');
    expect(lead.status).toBe(400);
    expect(lead.body.errors).toEqual(unknown('fields', 'expand'));
    expect(lead.queries).toEqual([]);
  });

  it('are named twenty at the most', async () => {
    const many = Array.from({ length: 50 }, (_, i) => `p${i}=1`).join('&');
    expect((await refusal(`/v1/leads?${many}`)).body.errors).toHaveLength(20);
  });

  it('leave declared parameters alone', async () => {
    const list = await api().request({ method: 'GET', url: '/v1/leads?minScore=150&stage=mql&sort=score' });
    expect(list.statusCode, list.body).toBe(200);
    const lead = await api().request({ method: 'GET', url: '/v1/leads/lead-1' });
    expect(lead.statusCode, lead.body).toBe(404);
  });
});

describe('requirePlainQuerySchema', () => {
  it('refuses, at registration, a querystring schema whose parameters it could not name', () => {
    const piped = z.object({ limit: z.string() }).transform(({ limit }) => ({ limit: Number(limit) }));
    expect(() => requirePlainQuerySchema({ url: '/v1/x', schema: { querystring: piped } })).toThrow(
      '/v1/x: its querystring schema must be a z.object',
    );
    expect(() =>
      requirePlainQuerySchema({ url: '/v1/y', schema: { querystring: z.object({}) } }),
    ).not.toThrow();
    expect(() => requirePlainQuerySchema({ url: '/v1/z' })).not.toThrow();
  });
});
