import { describe, expect, it } from 'vitest';
import { useApiUnderTest } from '../test-support/api-under-test.js';

const RANGE = 'must be between 0001-01-01T00:00:00Z and 9999-12-31T23:59:59.999Z once converted to UTC';
/** A valid ISO-8601 date-time whose UTC instant is in year 10000. */
const PAST_9999 = '9999-12-31T23:59:59-23:59';

const api = useApiUnderTest();

describe('instant parameters', () => {
  it('refuse an instant past year 9999 with a 400 naming it, in a query or a body, before anything is read', async () => {
    const refusals = [
      {
        request: { method: 'GET', url: `/v1/stats/funnel?from=2026-01-01T00:00:00Z&to=${PAST_9999}` },
        field: { in: 'querystring', path: 'to', message: RANGE },
      },
      {
        request: { method: 'GET', url: `/v1/leads/lead-1/score?at=${PAST_9999}` },
        field: { in: 'querystring', path: 'at', message: RANGE },
      },
      {
        request: { method: 'POST', url: '/v1/rulesets/1/simulate', payload: { asOf: PAST_9999 } },
        field: { in: 'body', path: 'asOf', message: RANGE },
      },
    ] as const;
    for (const { request, field } of refusals) {
      api().queries.length = 0;
      const response = await api().request(request);
      expect(response.statusCode, response.body).toBe(400);
      expect(response.json()).toMatchObject({ type: 'urn:leadscore:problem:validation', errors: [field] });
      expect(api().queries).toEqual([]);
    }
  });

  it('accept the first and the last instant of years 1 to 9999, and answer them back', async () => {
    const response = await api().request({
      method: 'GET',
      url: '/v1/stats/funnel?from=0001-01-01T00:00:00Z&to=9999-12-31T23:59:59.999Z',
    });
    expect(response.statusCode, response.body).toBe(200);
    expect(response.json()).toMatchObject({
      from: '0001-01-01T00:00:00.000Z',
      to: '9999-12-31T23:59:59.999Z',
    });
  });
});
