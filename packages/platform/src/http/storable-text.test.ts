import Fastify from 'fastify';
import { describe, expect, it } from 'vitest';
import { PROBLEM_CONTENT_TYPE } from './problem.js';
import { problemJsonPlugin } from './problem-plugin.js';
import { MAX_UNSTORABLE_FIELDS, refuseUnstorableText, unstorableTextFields } from './storable-text.js';

const NUL_MESSAGE = 'must not contain the NUL character (U+0000)';
const SURROGATE_MESSAGE = 'must not contain an unpaired surrogate (U+D800 to U+DFFF)';

describe('unstorableTextFields', () => {
  it('names every string holding U+0000 by its path, in the order the request has them', () => {
    const body = {
      actor: 'a\u0000b',
      ok: 'fine',
      events: [{ lead: { email: 'x' } }, { lead: { email: '\u0000' } }],
      tags: ['x', 'y\u0000'],
      n: 7,
      none: null,
    };
    expect(unstorableTextFields('body', body)).toEqual([
      { in: 'body', path: 'actor', message: NUL_MESSAGE },
      { in: 'body', path: 'events[1].lead.email', message: NUL_MESSAGE },
      { in: 'body', path: 'tags[1]', message: NUL_MESSAGE },
    ]);
  });

  it('names an object key holding U+0000 with the NUL written as an escape, and not what it holds', () => {
    expect(unstorableTextFields('body', { ruleset: { 'a\u0000b': { c: '\u0000' } } })).toEqual([
      { in: 'body', path: 'ruleset.a\\u0000b', message: `key ${NUL_MESSAGE}` },
    ]);
  });

  it('names text with an unpaired surrogate, which jsonb refuses too, and keeps paired ones', () => {
    const body = JSON.parse(
      '{"high": "a\\ud800b", "low": "\\udc00", "pair": "\\ud83d\\ude00", "end": "x\\ud83d"}',
    );
    expect(unstorableTextFields('body', body)).toEqual([
      { in: 'body', path: 'high', message: SURROGATE_MESSAGE },
      { in: 'body', path: 'low', message: SURROGATE_MESSAGE },
      { in: 'body', path: 'end', message: SURROGATE_MESSAGE },
    ]);
  });

  it('names a whole part that is a string with NUL by an empty path', () => {
    expect(unstorableTextFields('body', 'text\u0000')).toEqual([
      { in: 'body', path: '', message: NUL_MESSAGE },
    ]);
    expect(unstorableTextFields('body', { clean: ['strings', 1, true] })).toEqual([]);
  });

  it('stops at MAX_UNSTORABLE_FIELDS fields', () => {
    const many = Array.from({ length: 1_000 }, () => '\u0000');
    const fields = unstorableTextFields('body', many);
    expect(fields).toHaveLength(MAX_UNSTORABLE_FIELDS);
    expect(fields[0]?.path).toBe('[0]');
    const keys = Object.fromEntries(Array.from({ length: 100 }, (_, index) => [`k${index}\u0000`, 1]));
    expect(unstorableTextFields('body', keys)).toHaveLength(MAX_UNSTORABLE_FIELDS);
  });

  it('walks a body nested far deeper than the call stack could recurse', () => {
    const depth = 200_000;
    const deep = JSON.parse(`${'['.repeat(depth)}"\\u0000"${']'.repeat(depth)}`);
    const fields = unstorableTextFields('body', deep);
    expect(fields).toHaveLength(1);
    // The path is cut short, so the answer stays small.
    expect(fields[0]?.path).toBe(`${'[0]'.repeat(depth).slice(0, 200)}…`);
  });
});

async function appWithSchemas() {
  const app = Fastify({ logger: false });
  await app.register(problemJsonPlugin);
  app.addHook('preValidation', refuseUnstorableText);
  const string = { type: 'string' };
  app.post(
    '/jobs/:id',
    {
      schema: {
        params: { type: 'object', properties: { id: string } },
        querystring: { type: 'object', properties: { q: string } },
        body: { type: 'object' },
      },
    },
    async () => ({ ok: true }),
  );
  app.get(
    '/unread/:id',
    { schema: { params: { type: 'object', properties: { id: string } } } },
    async () => ({
      ok: true,
    }),
  );
  return app;
}

describe('refuseUnstorableText', () => {
  it('refuses NUL in params, querystring and body together with one 400 naming each field', async () => {
    const app = await appWithSchemas();
    const response = await app.inject({
      method: 'POST',
      url: '/jobs/a%00b?q=%00',
      payload: { author: 'x\u0000' },
    });
    expect(response.statusCode).toBe(400);
    expect(response.headers['content-type']).toContain(PROBLEM_CONTENT_TYPE);
    expect(response.json()).toMatchObject({
      type: 'urn:leadscore:problem:validation',
      title: 'Request is invalid',
      status: 400,
      errors: [
        { in: 'params', path: 'id', message: NUL_MESSAGE },
        { in: 'querystring', path: 'q', message: NUL_MESSAGE },
        { in: 'body', path: 'author', message: NUL_MESSAGE },
      ],
    });
    expect(response.json().detail).toBe(`id: ${NUL_MESSAGE}; q: ${NUL_MESSAGE}; author: ${NUL_MESSAGE}`);
  });

  it('leaves alone the parts a route has no schema for, and clean requests', async () => {
    const app = await appWithSchemas();
    expect((await app.inject({ url: '/unread/fine?ignored=%00' })).statusCode).toBe(200);
    const clean = await app.inject({ method: 'POST', url: '/jobs/a?q=b', payload: { author: 'x' } });
    expect(clean.statusCode).toBe(200);
  });
});
