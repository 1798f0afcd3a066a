import { describe, expect, it } from 'vitest';
import { encodeCursor } from '../../http/cursor.js';
import { TEST_KEYS, useApiUnderTest } from '../../test-support/api-under-test.js';

const api = useApiUnderTest();

/** The query key of `GET /v1/leads` with no filter and the default sort, as the route writes it. */
const DEFAULT_QUERY = JSON.stringify(['-score', null, null, null, null, null]);

const list = (cursor: string) =>
  api().request({ method: 'GET', url: `/v1/leads?limit=1&cursor=${cursor}`, key: TEST_KEYS.read });

describe('GET /v1/leads cursors', () => {
  it('refuses a tampered cursor as one the API did not return, before reading anything', async () => {
    const tampered: Record<string, unknown>[] = [
      // The tester's cursor: a NUL in the lead id, which PostgreSQL refused with a 500.
      { t: 10, i: 'bl-0\u0000', q: DEFAULT_QUERY },
      { t: 10, i: 'a\ud800', q: DEFAULT_QUERY },
      { t: 10, i: '', q: DEFAULT_QUERY },
      { t: 10, i: 'no spaces', q: DEFAULT_QUERY },
      { t: 10, i: 'x'.repeat(129), q: DEFAULT_QUERY },
      { t: 10, i: 42, q: DEFAULT_QUERY },
      { t: '10', i: 'bl-0', q: DEFAULT_QUERY },
      { t: null, i: 'bl-0', q: DEFAULT_QUERY },
      { i: 'bl-0', q: DEFAULT_QUERY },
      { t: 10, i: 'bl-0', q: DEFAULT_QUERY, extra: 1 },
    ];
    const cursors = [
      ...tampered.map(encodeCursor),
      // 1e999 is valid JSON that parses to Infinity: no score a lead can have.
      Buffer.from(`{"t":1e999,"i":"bl-0","q":${JSON.stringify(DEFAULT_QUERY)}}`).toString('base64url'),
      encodeCursor([10, 'bl-0']),
      encodeCursor(null),
    ];
    for (const cursor of cursors) {
      api().queries.length = 0;
      const response = await list(cursor);
      const decoded = Buffer.from(cursor, 'base64url').toString();
      expect(response.statusCode, `${decoded}: ${response.body}`).toBe(400);
      expect(response.headers['content-type']).toContain('application/problem+json');
      expect(response.json(), decoded).toMatchObject({
        type: 'urn:leadscore:problem:validation',
        errors: [{ in: 'querystring', path: 'cursor', message: 'is not a cursor this API returned' }],
      });
      expect(api().queries, decoded).toEqual([]);
    }
  });

  it('reads after the lead and score a cursor it returned names', async () => {
    api().queries.length = 0;
    const response = await list(encodeCursor({ t: -2.5, i: 'em_0123abc', q: DEFAULT_QUERY }));
    expect(response.statusCode, response.body).toBe(200);
    expect(response.json()).toEqual({ leads: [], nextCursor: null });
    expect(api().queries).toHaveLength(1);
    expect(api().queries[0]?.values).toEqual([null, null, null, null, null, -2.5, 'em_0123abc', 2]);
  });
});
