import Fastify from 'fastify';
import { describe, expect, it } from 'vitest';
import { hashApiKey } from './api-key-auth.js';
import { apiKeyAuthPlugin } from './api-key-guard.js';
import { PROBLEM_CONTENT_TYPE } from './problem.js';
import { problemJsonPlugin } from './problem-plugin.js';

const keys = [
  { id: 'dashboard', sha256: hashApiKey('secret-read').toString('hex'), scopes: ['read'] },
  { id: 'ops', sha256: hashApiKey('secret-admin').toString('hex'), scopes: ['read', 'admin'] },
];

async function appWithGuardedRoutes() {
  const app = Fastify({ logger: false });
  await app.register(problemJsonPlugin);
  await app.register(async (scope) => {
    await scope.register(apiKeyAuthPlugin, { keys, realm: 'test-realm' });
    scope.get('/read', { onRequest: scope.requireScope('read') }, async (request) => ({
      key: request.apiKey?.id,
    }));
    scope.post('/admin', { onRequest: scope.requireScope('admin') }, async () => ({ ok: true }));
  });
  return app;
}

describe('apiKeyAuthPlugin', () => {
  it('admits a key with the scope and names it on the request', async () => {
    const app = await appWithGuardedRoutes();
    const response = await app.inject({ url: '/read', headers: { authorization: 'Bearer secret-read' } });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ key: 'dashboard' });
  });

  it('answers 401 problem+json with a Bearer challenge without a key or with an unknown one', async () => {
    const app = await appWithGuardedRoutes();
    const missing = await app.inject({ url: '/read' });
    expect(missing.statusCode).toBe(401);
    expect(missing.headers['content-type']).toContain(PROBLEM_CONTENT_TYPE);
    expect(missing.headers['www-authenticate']).toBe('Bearer realm="test-realm"');
    expect(missing.json()).toMatchObject({ type: 'urn:leadscore:problem:api-key-missing', status: 401 });

    const unknown = await app.inject({ url: '/read', headers: { authorization: 'Bearer guessed' } });
    expect(unknown.statusCode).toBe(401);
    expect(unknown.headers['www-authenticate']).toContain('error="invalid_token"');
    expect(unknown.json().type).toBe('urn:leadscore:problem:api-key-invalid');
  });

  it('answers 403 naming the key and the scope it lacks', async () => {
    const app = await appWithGuardedRoutes();
    const refused = await app.inject({
      method: 'POST',
      url: '/admin',
      headers: { authorization: 'Bearer secret-read' },
    });
    expect(refused.statusCode).toBe(403);
    expect(refused.json().detail).toBe('API key "dashboard" does not have the "admin" scope');
    const admitted = await app.inject({
      method: 'POST',
      url: '/admin',
      headers: { authorization: 'Bearer secret-admin' },
    });
    expect(admitted.statusCode).toBe(200);
  });
});
