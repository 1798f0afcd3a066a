import type { InjectOptions } from 'fastify';
import { describe, expect, it } from 'vitest';
import { useApiUnderTest } from '../test-support/api-under-test.js';

const UNKNOWN = 'is not a field of this request';
const REPEATED = 'must be given once';

const api = useApiUnderTest();

/** The `errors` of the 400 the request is refused with; nothing may have been read or written. */
async function refusedFields(request: InjectOptions) {
  api().queries.length = 0;
  const response = await api().request(request);
  expect(response.statusCode, response.body).toBe(400);
  expect(response.json().type).toBe('urn:leadscore:problem:validation');
  expect(api().queries).toEqual([]);
  expect(api().stageChanges).toEqual([]);
  return response.json().errors;
}

describe('validation problems of the /v1 routes', () => {
  it('name an unknown body key by its own path', async () => {
    expect(await refusedFields({ method: 'POST', url: '/v1/rescoring', payload: { foo: 1 } })).toEqual([
      { in: 'body', path: 'foo', message: UNKNOWN },
    ]);
    const stage = await refusedFields({
      method: 'POST',
      url: '/v1/leads/lead-1/stage',
      payload: { action: 'promote', extra: 1, more: 2 },
    });
    expect(stage.map((field: { path: string }) => field.path).sort()).toEqual(['action', 'extra', 'more']);
    expect(stage).toContainEqual({ in: 'body', path: 'more', message: UNKNOWN });
    expect(
      await refusedFields({ method: 'POST', url: '/v1/rulesets/2/simulate', payload: { bogus: true } }),
    ).toEqual([{ in: 'body', path: 'bogus', message: UNKNOWN }]);
  });

  it('refuse a query parameter given twice as such, beside the other bad ones', async () => {
    for (const url of ['/v1/leads?limit=1&limit=2', '/v1/rescoring?limit=1&limit=2']) {
      expect(await refusedFields({ method: 'GET', url })).toEqual([
        { in: 'querystring', path: 'limit', message: REPEATED },
      ]);
    }
    const fields = await refusedFields({ method: 'GET', url: '/v1/leads?stage=mql&stage=sql&grade=Z' });
    expect(fields).toContainEqual({ in: 'querystring', path: 'stage', message: REPEATED });
    expect(fields.map((field: { path: string }) => field.path).sort()).toEqual(['grade', 'stage']);
    const funnel = await refusedFields({
      method: 'GET',
      url: '/v1/stats/funnel?from=2026-01-01T00:00:00Z&from=2026-02-01T00:00:00Z&to=2026-03-01T00:00:00Z',
    });
    expect(funnel).toEqual([{ in: 'querystring', path: 'from', message: REPEATED }]);
  });

  it('name a repeated parameter no route reads once, as unknown', async () => {
    expect(await refusedFields({ method: 'GET', url: '/v1/leads?utm=a&utm=b' })).toEqual([
      { in: 'querystring', path: 'utm', message: 'is not a parameter of this route' },
    ]);
  });

  it('say a limit that is no number must be a whole number', async () => {
    for (const url of [
      '/v1/leads?limit=abc',
      '/v1/leads/lead-1/events?limit=abc',
      '/v1/rescoring?limit=abc',
    ]) {
      expect(await refusedFields({ method: 'GET', url })).toEqual([
        { in: 'querystring', path: 'limit', message: 'must be a whole number' },
      ]);
    }
  });
});
