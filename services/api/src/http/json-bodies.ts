import type { FastifyError, FastifyInstance, FastifyRequest } from 'fastify';
import { apiProblems } from './api-problems.js';

/**
 * The /v1 scope reads JSON bodies only, and says so when a body cannot be read: 415 for another
 * content type, 400 malformed-json for a body that is not JSON, 413 past the size limit, each a
 * problem of its own type instead of fastify's generic "Bad Request".
 */
export function acceptJsonBodiesOnly(app: FastifyInstance): void {
  // fastify parses text/plain too, handing the schema a string ("expected object, received string").
  app.removeContentTypeParser('text/plain');
  app.setErrorHandler((error: FastifyError, request) => {
    // Rethrown, so the problem+json handler of the app renders and logs it like any other.
    throw bodyProblem(error, request) ?? error;
  });
}

function bodyProblem(error: FastifyError, request: FastifyRequest): Error | undefined {
  switch (error.code) {
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
      return apiProblems.malformedJson('the body is not valid JSON');
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return apiProblems.malformedJson('the body is empty; send a JSON object');
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return apiProblems.unsupportedMediaType(request.headers['content-type']);
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return apiProblems.bodyTooLarge(request.routeOptions.bodyLimit);
    default:
      return undefined;
  }
}
