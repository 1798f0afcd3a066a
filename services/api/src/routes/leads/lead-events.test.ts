import { describe, expect, it } from 'vitest';
import { encodeCursor } from '../../http/cursor.js';
import { TEST_KEYS, useApiUnderTest } from '../../test-support/api-under-test.js';

const api = useApiUnderTest();

describe('GET /v1/leads/{id}/events', () => {
  it("refuses a cursor of another lead's history before reading anything", async () => {
    const cursor = encodeCursor({ l: 'lead-a', p: 3 });
    const response = await api().request({
      method: 'GET',
      url: `/v1/leads/lead-b/events?cursor=${cursor}`,
      key: TEST_KEYS.read,
    });
    expect(response.statusCode).toBe(400);
    expect(response.json().errors).toEqual([
      { in: 'querystring', path: 'cursor', message: "belongs to another lead's history" },
    ]);
    expect(api().queries).toEqual([]);
  });

  it('refuses a tampered cursor as one the API did not return, before reading anything', async () => {
    const tampered = [
      { l: 'lead-b\u0000', p: 3 },
      { l: 'lead b', p: 3 },
      { l: '', p: 3 },
      { l: 'lead-b', p: 0 },
      { l: 'lead-b', p: 1.5 },
      { l: 'lead-b', p: 2 ** 53 },
      { l: 'lead-b', p: '3' },
      { l: 'lead-b', p: 3, extra: 1 },
    ];
    for (const position of tampered) {
      api().queries.length = 0;
      const response = await api().request({
        method: 'GET',
        url: `/v1/leads/lead-b/events?cursor=${encodeCursor(position)}`,
        key: TEST_KEYS.read,
      });
      expect(response.statusCode, JSON.stringify(position)).toBe(400);
      expect(response.json().errors, JSON.stringify(position)).toEqual([
        { in: 'querystring', path: 'cursor', message: 'is not a cursor this API returned' },
      ]);
      expect(api().queries).toEqual([]);
    }
  });

  it("reads from a cursor of the lead's own history", async () => {
    const cursor = encodeCursor({ l: 'lead-b', p: 3 });
    const response = await api().request({
      method: 'GET',
      url: `/v1/leads/lead-b/events?cursor=${cursor}`,
      key: TEST_KEYS.read,
    });
    // The recording database has no stream: the lead is unknown, but its history was read from 4.
    expect(response.statusCode).toBe(404);
    expect(api().queries.at(-1)?.values).toContain(4);
  });
});
