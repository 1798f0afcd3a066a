import { validationRefusal } from '@leadscore/platform';
import type { FastifyRequest } from 'fastify';
import { z } from 'zod';

export const UNKNOWN_PARAMETER_MESSAGE = 'is not a parameter of this route';

/** Enough to point at the mistake: a query string can carry a thousand names. */
const MAX_NAMED = 20;

/** The parameter names each route's querystring schema declares, worked out once per schema. */
const declaredNames = new WeakMap<object, ReadonlySet<string>>();

function parameterNames(schema: unknown): ReadonlySet<string> {
  if (!(schema instanceof z.ZodObject)) return new Set();
  let names = declaredNames.get(schema);
  if (names === undefined) {
    names = new Set(Object.keys(schema.shape));
    declaredNames.set(schema, names);
  }
  return names;
}

/**
 * An onRoute hook: a route's querystring schema must be a plain z.object, whose keys are the
 * parameters refuseUnknownQueryParameters lets through. Another kind (a transform, a pipe) would
 * declare no key it can see, and every parameter of the route would be refused: this says so
 * when the route is registered, not at its first request.
 */
export function requirePlainQuerySchema(route: { url: string; schema?: { querystring?: unknown } }): void {
  const schema = route.schema?.querystring;
  if (schema !== undefined && !(schema instanceof z.ZodObject)) {
    throw new Error(
      `${route.url}: its querystring schema must be a z.object, whose keys name the parameters it accepts`,
    );
  }
}

/**
 * A preValidation hook refusing, with one 400 validation problem naming each, the query
 * parameters a route does not declare (a route without a querystring schema declares none). A
 * misspelt filter (`minscore` for `minScore`) would otherwise be dropped without a word, and the
 * answer would be the unfiltered list; bodies are strict the same way.
 */
export async function refuseUnknownQueryParameters(request: FastifyRequest): Promise<void> {
  const query = request.query;
  if (typeof query !== 'object' || query === null) return;
  const names = Object.keys(query);
  if (names.length === 0) return;
  const declared = parameterNames(request.routeOptions.schema?.querystring);
  const unknown = names.filter((name) => !declared.has(name));
  if (unknown.length > 0)
    throw validationRefusal(
      unknown
        .slice(0, MAX_NAMED)
        .map((path) => ({ in: 'querystring', path, message: UNKNOWN_PARAMETER_MESSAGE })),
    );
}
