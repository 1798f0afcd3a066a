import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import {
  type AuthenticatedKey,
  bearerToken,
  type ConfiguredApiKey,
  createApiKeyAuthenticator,
} from './api-key-auth.js';
import { HttpProblem } from './problem.js';

export type ApiKeyRefusalCode = 'api-key-missing' | 'api-key-invalid' | 'api-key-scope-missing';

/**
 * A request refused for its API key: 401 without a usable key, 403 when the key lacks the scope.
 * `challenge` is the WWW-Authenticate value a 401 carries (RFC 6750).
 */
export class ApiKeyRefusal extends HttpProblem {
  override readonly code: ApiKeyRefusalCode;
  readonly challenge: string | undefined;

  constructor(code: ApiKeyRefusalCode, title: string, detail: string, challenge?: string) {
    super({ status: code === 'api-key-scope-missing' ? 403 : 401, code, title, detail });
    this.code = code;
    this.challenge = challenge;
  }
}

/** Checks an Authorization header: the key it names, or an ApiKeyRefusal. */
export function createKeyCheck(keys: readonly ConfiguredApiKey[], realm: string) {
  const authenticate = createApiKeyAuthenticator(keys);
  return function check(authorization: string | undefined, scope: string): AuthenticatedKey {
    const token = bearerToken(authorization);
    if (!token) {
      throw new ApiKeyRefusal(
        'api-key-missing',
        'API key required',
        `send an API key with the "${scope}" scope as "Authorization: Bearer <key>"`,
        `Bearer realm="${realm}"`,
      );
    }
    const key = authenticate(token);
    if (!key) {
      throw new ApiKeyRefusal(
        'api-key-invalid',
        'API key not recognised',
        'the bearer token matches no configured API key',
        `Bearer realm="${realm}", error="invalid_token"`,
      );
    }
    if (!key.scopes.has(scope)) {
      throw new ApiKeyRefusal(
        'api-key-scope-missing',
        'API key lacks the required scope',
        `API key "${key.id}" does not have the "${scope}" scope`,
      );
    }
    return key;
  };
}

export interface ApiKeyAuthOptions {
  readonly keys: readonly ConfiguredApiKey[];
  /** Named in the WWW-Authenticate challenge, e.g. leadscore-api. */
  readonly realm: string;
}

type ScopeHook = (request: FastifyRequest, reply: FastifyReply) => Promise<void>;

declare module 'fastify' {
  interface FastifyRequest {
    /** The API key the request authenticated with; null before (or without) a requireScope hook. */
    apiKey: AuthenticatedKey | null;
  }
  interface FastifyInstance {
    /** An onRequest hook admitting only requests whose Bearer key has `scope`. */
    requireScope(scope: string): ScopeHook;
  }
}

/**
 * Bearer API keys for the routes of the scope that registers it: decorates `request.apiKey` and
 * `app.requireScope(scope)`, used as a route's onRequest hook so a refused request is answered
 * before its body is read. Register it inside each service's route plugin (not at the root), so
 * every service keeps its own keys and realm.
 */
export const apiKeyAuthPlugin = fp<ApiKeyAuthOptions>(
  async (app: FastifyInstance, options) => {
    const check = createKeyCheck(options.keys, options.realm);
    app.decorateRequest('apiKey', null);
    app.decorate('requireScope', (scope: string): ScopeHook => {
      return async (request, reply) => {
        try {
          request.apiKey = check(request.headers.authorization, scope);
        } catch (error) {
          // Headers set on the reply survive fastify's error path; the body is the problem.
          if (error instanceof ApiKeyRefusal && error.challenge)
            reply.header('www-authenticate', error.challenge);
          throw error;
        }
      };
    });
  },
  { name: 'leadscore-api-key-auth', fastify: '5.x' },
);
