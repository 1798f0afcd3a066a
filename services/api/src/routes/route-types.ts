import type {
  FastifyBaseLogger,
  FastifyInstance,
  RawReplyDefaultExpression,
  RawRequestDefaultExpression,
  RawServerDefault,
} from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { ApiContext } from '../api-context.js';

/** The app as routes see it: schemas are zod, request and reply types come from them. */
export type ZodApp = FastifyInstance<
  RawServerDefault,
  RawRequestDefaultExpression,
  RawReplyDefaultExpression,
  FastifyBaseLogger,
  ZodTypeProvider
>;

export interface RouteOptions {
  readonly context: ApiContext;
}

/** Security requirement of a route, by scope, as OpenAPI 3.1 writes it for a bearer scheme. */
export const requires = (scope: 'read' | 'admin') => [{ apiKey: [scope] }];
