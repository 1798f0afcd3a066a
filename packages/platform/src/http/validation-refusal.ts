import { HttpProblem, type InvalidField, validationProblem } from './problem.js';

/**
 * A 400 validation problem to throw from a hook or a handler: the same body (type, title, detail
 * and `errors`) as fastify's schema validation answers, so clients read every 400 one way.
 */
export function validationRefusal(fields: readonly InvalidField[]): HttpProblem {
  const { title, detail, errors } = validationProblem('', fields);
  return new HttpProblem({ status: 400, code: 'validation', title, detail, extensions: { errors } });
}
