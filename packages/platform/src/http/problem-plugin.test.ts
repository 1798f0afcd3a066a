import Fastify from 'fastify';
import { describe, expect, it } from 'vitest';
import { HttpProblem, PROBLEM_CONTENT_TYPE } from './problem.js';
import { problemJsonPlugin } from './problem-plugin.js';

async function appWithRoutes() {
  const app = Fastify({ logger: false });
  await app.register(problemJsonPlugin);
  app.post(
    '/events',
    {
      schema: {
        body: {
          type: 'object',
          required: ['type', 'lead'],
          properties: {
            type: { type: 'string' },
            lead: { type: 'object', properties: { email: { type: 'string', format: 'email' } } },
          },
        },
      },
    },
    async () => ({ accepted: true }),
  );
  app.get('/leads/:id', async (request) => {
    const { id } = request.params as { id: string };
    throw new HttpProblem({
      status: 404,
      title: 'Lead not found',
      code: 'lead-not-found',
      detail: `No lead with id ${id}`,
      extensions: { leadId: id },
    });
  });
  app.get('/boom', async () => {
    throw new Error('connection to 10.0.0.7 refused');
  });
  return app;
}

describe('problem+json errors', () => {
  it('lists each invalid field of a request body', async () => {
    const app = await appWithRoutes();
    const response = await app.inject({ method: 'POST', url: '/events', payload: { lead: { email: 7 } } });
    expect(response.statusCode).toBe(400);
    expect(response.headers['content-type']).toMatch(PROBLEM_CONTENT_TYPE);
    const body = response.json();
    expect(body).toMatchObject({
      type: 'urn:leadscore:problem:validation',
      title: 'Request is invalid',
      status: 400,
      instance: '/events',
    });
    expect(body.errors).toContainEqual({ in: 'body', path: 'type', message: expect.any(String) });
    expect(body.detail).toContain('type: ');
  });

  it('answers a thrown HttpProblem with its own type, detail and extensions', async () => {
    const app = await appWithRoutes();
    const response = await app.inject({ method: 'GET', url: '/leads/l-42' });
    expect(response.statusCode).toBe(404);
    expect(response.json()).toEqual({
      type: 'urn:leadscore:problem:lead-not-found',
      title: 'Lead not found',
      status: 404,
      detail: 'No lead with id l-42',
      instance: '/leads/l-42',
      leadId: 'l-42',
    });
  });

  it('hides the internals of an unexpected error', async () => {
    const app = await appWithRoutes();
    const response = await app.inject({ method: 'GET', url: '/boom' });
    expect(response.statusCode).toBe(500);
    expect(response.headers['content-type']).toMatch(PROBLEM_CONTENT_TYPE);
    expect(response.json()).toEqual({
      type: 'about:blank',
      title: 'Internal Server Error',
      status: 500,
      instance: '/boom',
    });
  });

  it('explains fastify client errors such as malformed JSON', async () => {
    const app = await appWithRoutes();
    const response = await app.inject({
      method: 'POST',
      url: '/events',
      headers: { 'content-type': 'application/json' },
      payload: '{"type":',
    });
    expect(response.statusCode).toBe(400);
    expect(response.json()).toMatchObject({ type: 'about:blank', title: 'Bad Request', status: 400 });
    expect(response.json().detail).toEqual(expect.any(String));
  });

  it('answers unknown routes with 404 problem+json', async () => {
    const app = await appWithRoutes();
    const response = await app.inject({ method: 'DELETE', url: '/nowhere' });
    expect(response.statusCode).toBe(404);
    expect(response.headers['content-type']).toMatch(PROBLEM_CONTENT_TYPE);
    expect(response.json()).toMatchObject({
      status: 404,
      instance: '/nowhere',
      detail: 'No route for DELETE /nowhere',
    });
  });
});
