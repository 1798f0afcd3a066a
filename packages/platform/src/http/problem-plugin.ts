import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import {
  HttpProblem,
  PROBLEM_CONTENT_TYPE,
  type ProblemDetails,
  type SchemaValidationIssue,
  statusProblem,
  toInvalidField,
  validationProblem,
} from './problem.js';

/**
 * Every error and every unknown route answers application/problem+json. Client errors explain
 * themselves; server errors are logged with their stack and answer a bare 500, so internals
 * (SQL, hostnames) never reach the caller.
 */
export const problemJsonPlugin = fp(
  async (app: FastifyInstance) => {
    app.setErrorHandler((error: FastifyError, request, reply) => {
      const problem = toProblem(error, request);
      if (problem.status >= 500) request.log.error({ err: error }, 'request failed');
      else request.log.info({ err: { message: error.message, code: error.code } }, 'request refused');
      return sendProblem(reply, problem);
    });
    app.setNotFoundHandler((request, reply) =>
      sendProblem(reply, statusProblem(404, request.url, `No route for ${request.method} ${request.url}`)),
    );
  },
  { name: 'leadscore-problem-json', fastify: '5.x' },
);

export function sendProblem(reply: FastifyReply, problem: ProblemDetails): FastifyReply {
  return reply.code(problem.status).type(PROBLEM_CONTENT_TYPE).send(problem);
}

function toProblem(error: FastifyError, request: FastifyRequest): ProblemDetails {
  const instance = request.url;
  if (error instanceof HttpProblem) return error.toProblem(instance);
  if (Array.isArray(error.validation)) {
    const where = error.validationContext ?? 'body';
    const issues = error.validation as readonly SchemaValidationIssue[];
    return validationProblem(
      instance,
      issues.map((issue) => toInvalidField(where, issue)),
    );
  }
  const status = typeof error.statusCode === 'number' && error.statusCode >= 400 ? error.statusCode : 500;
  // fastify's own client errors (bad JSON, body too large, wrong content type) have safe messages.
  return status < 500 ? statusProblem(status, instance, error.message) : statusProblem(status, instance);
}
