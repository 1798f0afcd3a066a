import { describe, expect, it } from 'vitest';
import { useApiUnderTest } from '../test-support/api-under-test.js';

const NUL = 'must not contain the NUL character (U+0000)';
const SURROGATE = 'must not contain an unpaired surrogate (U+D800 to U+DFFF)';

const api = useApiUnderTest();

/** Sends the request and expects a 400 naming exactly `errors`, with nothing read or written. */
async function expectRefused(
  request: { method: 'GET' | 'POST'; url: string; payload?: string | object },
  errors: readonly { in: string; path: string; message: string }[],
): Promise<void> {
  api().queries.length = 0;
  const { payload, ...rest } = request;
  const response = await api().request({
    ...rest,
    // A string payload (for escapes JSON.stringify would not write) needs its content type said.
    ...(payload === undefined ? {} : { headers: { 'content-type': 'application/json' }, payload }),
  });
  expect(response.statusCode, response.body).toBe(400);
  expect(response.headers['content-type']).toContain('application/problem+json');
  expect(response.json()).toMatchObject({
    type: 'urn:leadscore:problem:validation',
    title: 'Request is invalid',
    status: 400,
    errors,
  });
  expect(api().queries).toEqual([]);
  expect(api().stageChanges).toEqual([]);
}

describe('text PostgreSQL cannot store, anywhere a route reads it', () => {
  it('is refused in path parameters', async () => {
    for (const url of ['/v1/rescoring/%00', '/v1/rescoring/a%00b']) {
      await expectRefused({ method: 'GET', url }, [{ in: 'params', path: 'jobId', message: NUL }]);
    }
  });

  it('is refused in query parameters', async () => {
    await expectRefused({ method: 'GET', url: '/v1/leads?temperature=%00' }, [
      { in: 'querystring', path: 'temperature', message: NUL },
    ]);
    await expectRefused({ method: 'GET', url: '/v1/leads?source=a%00b&stage=mql' }, [
      { in: 'querystring', path: 'source', message: NUL },
    ]);
  });

  it('is refused in every string of a JSON body, each named', async () => {
    await expectRefused(
      {
        method: 'POST',
        url: '/v1/leads/lead-1/stage',
        payload: { action: 'disqualify', actor: 'jane\u0000', reason: '\u0000' },
      },
      [
        { in: 'body', path: 'actor', message: NUL },
        { in: 'body', path: 'reason', message: NUL },
      ],
    );
    await expectRefused({ method: 'POST', url: '/v1/rescoring', payload: { author: 'a\u0000b' } }, [
      { in: 'body', path: 'author', message: NUL },
    ]);
    await expectRefused({ method: 'POST', url: '/v1/rulesets/1/publish', payload: { author: '\u0000' } }, [
      { in: 'body', path: 'author', message: NUL },
    ]);
    await expectRefused(
      {
        method: 'POST',
        url: '/v1/rulesets',
        payload: { ruleset: { id: 'default', description: 'x\u0000' }, comment: '\u0000' },
      },
      [
        { in: 'body', path: 'ruleset.description', message: NUL },
        { in: 'body', path: 'comment', message: NUL },
      ],
    );
  });

  it('is refused in object keys, and as unpaired surrogates, which jsonb refuses as well', async () => {
    await expectRefused({ method: 'POST', url: '/v1/rulesets', payload: { ruleset: { 'a\u0000': 1 } } }, [
      { in: 'body', path: 'ruleset.a\\u0000', message: `key ${NUL}` },
    ]);
    await expectRefused(
      {
        method: 'POST',
        url: '/v1/leads/lead-1/stage',
        payload: '{"action": "recycle", "actor": "\\ud800"}',
      },
      [{ in: 'body', path: 'actor', message: SURROGATE }],
    );
  });

  it('is found however deeply a body nests, without overflowing the stack', async () => {
    const depth = 100_000;
    const payload = `{"ruleset": {"x": ${'['.repeat(depth)}"\\u0000"${']'.repeat(depth)}}}`;
    api().queries.length = 0;
    const response = await api().request({
      method: 'POST',
      url: '/v1/rulesets',
      headers: { 'content-type': 'application/json' },
      payload,
    });
    expect(response.statusCode, response.body).toBe(400);
    expect(response.json().errors).toEqual([
      { in: 'body', path: `ruleset.x${'[0]'.repeat(depth)}`.slice(0, 200).concat('…'), message: NUL },
    ]);
    expect(api().queries).toEqual([]);
  });
});
