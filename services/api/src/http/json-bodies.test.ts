import { describe, expect, it } from 'vitest';
import { useApiUnderTest } from '../test-support/api-under-test.js';

/** Every route that reads a body, with a body it would accept. */
const POST_ROUTES = [
  '/v1/leads/lead-1/stage',
  '/v1/rescoring',
  '/v1/rulesets',
  '/v1/rulesets/1/publish',
  '/v1/rulesets/1/simulate',
];

const api = useApiUnderTest();

async function post(url: string, contentType: string | undefined, payload: string) {
  api().queries.length = 0;
  const response = await api().request({
    method: 'POST',
    url,
    headers: contentType === undefined ? {} : { 'content-type': contentType },
    payload,
  });
  expect(response.headers['content-type'], `${url}: ${response.body}`).toContain('application/problem+json');
  expect(api().queries, url).toEqual([]);
  expect(api().stageChanges, url).toEqual([]);
  return { status: response.statusCode, body: response.json() };
}

describe('request bodies of the /v1 routes', () => {
  it('answer 400 malformed-json, the webhook’s type, to a body that is not JSON or is empty', async () => {
    for (const url of POST_ROUTES) {
      expect(await post(url, 'application/json', '{')).toEqual({
        status: 400,
        body: {
          type: 'urn:leadscore:problem:malformed-json',
          title: 'Malformed JSON',
          status: 400,
          detail: 'the body is not valid JSON',
          instance: url,
        },
      });
      const empty = await post(url, 'application/json', '');
      expect(empty.body).toMatchObject({
        type: 'urn:leadscore:problem:malformed-json',
        status: 400,
        detail: 'the body is empty; send a JSON object',
      });
    }
  });

  it('answer 400 validation naming the key to valid JSON holding a __proto__ key, as the webhook does', async () => {
    for (const url of POST_ROUTES) {
      expect(await post(url, 'application/json', '{"action": "disqualify", "__proto__": {}}')).toEqual({
        status: 400,
        body: {
          type: 'urn:leadscore:problem:validation',
          title: 'Request is invalid',
          status: 400,
          detail: '__proto__: the key __proto__ is not accepted',
          instance: url,
          errors: [{ in: 'body', path: '__proto__', message: 'the key __proto__ is not accepted' }],
        },
      });
    }
    const refused = [
      // Escaped, it is the same key once parsed.
      { payload: '{"\\u005f_proto__": 1}', path: '__proto__' },
      {
        payload: '{"ruleset": {"rules": [{"x": 1}, {"when": {"__proto__": null}}]}}',
        path: 'ruleset.rules[1].when.__proto__',
      },
      { payload: '[{"a\\u0000": {"__proto__": []}}]', path: '[0].a\\u0000.__proto__' },
    ];
    for (const { payload, path } of refused) {
      expect((await post('/v1/rulesets', 'application/json', payload)).body, payload).toMatchObject({
        type: 'urn:leadscore:problem:validation',
        errors: [{ in: 'body', path, message: 'the key __proto__ is not accepted' }],
      });
    }
  });

  it('answer 400 validation naming the key to a constructor key holding a prototype key', async () => {
    const payload = '{"action": "recycle", "constructor": {"prototype": {}}}';
    expect((await post('/v1/leads/lead-1/stage', 'application/json', payload)).body).toMatchObject({
      type: 'urn:leadscore:problem:validation',
      detail: 'constructor.prototype: a prototype key inside a constructor key is not accepted',
      errors: [
        {
          in: 'body',
          path: 'constructor.prototype',
          message: 'a prototype key inside a constructor key is not accepted',
        },
      ],
    });
    // Not the keys alone: a constructor key is an unknown field of this body, nothing more.
    const plain = await post('/v1/leads/lead-1/stage', 'application/json', '{"constructor": {"x": 1}}');
    expect(plain.body.errors).toContainEqual({
      in: 'body',
      path: 'constructor',
      message: 'is not a field of this request',
    });
  });

  it('answer 415 unsupported-media-type to a body of another content type, or of none', async () => {
    for (const url of POST_ROUTES) {
      expect(await post(url, 'text/plain', '{"action": "recycle"}')).toEqual({
        status: 415,
        body: {
          type: 'urn:leadscore:problem:unsupported-media-type',
          title: 'Unsupported media type',
          status: 415,
          detail: 'the body must be application/json, got "text/plain"',
          instance: url,
        },
      });
      const form = await post(url, 'application/x-www-form-urlencoded', 'action=recycle');
      expect(form.status).toBe(415);
      const none = await post(url, undefined, '{}');
      expect(none.body).toMatchObject({
        status: 415,
        detail: 'the body must be application/json, got no content type',
      });
    }
  });

  it('leave every other refusal as it was: a missing key still answers 401 with its challenge', async () => {
    const response = await api().request({ method: 'POST', url: '/v1/rescoring', payload: {}, key: null });
    expect(response.statusCode).toBe(401);
    expect(response.headers['www-authenticate']).toBe('Bearer realm="leadscore-api"');
    expect(response.json().type).toBe('urn:leadscore:problem:api-key-missing');
  });

  it('answer 413 body-too-large past 1 MiB', async () => {
    const large = JSON.stringify({ comment: 'x'.repeat(1024 * 1024) });
    for (const url of POST_ROUTES) {
      expect(await post(url, 'application/json', large)).toMatchObject({
        status: 413,
        body: { type: 'urn:leadscore:problem:body-too-large', detail: 'the body exceeds 1048576 bytes' },
      });
    }
  });
});
