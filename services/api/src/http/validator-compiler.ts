import type { FastifySchemaCompiler, FastifySchemaValidationError } from 'fastify';
import { validatorCompiler } from 'fastify-type-provider-zod';
import type { $ZodType } from 'zod/v4/core';

type Issue = FastifySchemaValidationError;

const UNKNOWN_KEY_MESSAGE = 'is not a field of this request';
const REPEATED_MESSAGE = 'must be given once';

/**
 * fastify-type-provider-zod's validator, with issues that name the field they are about:
 * - an unknown key of a strict object is reported at the key itself (`foo`), where zod reports
 *   it at the object holding it (the body's path is empty);
 * - a query parameter given more than once (`?limit=1&limit=2`) arrives as an array; when the
 *   schema refuses that, the parameter is reported as repeated rather than with the schema's
 *   message about the array (which z.coerce words "expected number, received NaN").
 */
export const apiValidatorCompiler: FastifySchemaCompiler<$ZodType> = (route) => {
  const validate = validatorCompiler(route);
  const isQuery = route.httpPart === 'querystring';
  return (data: unknown) => {
    const result = validate(data) as { error?: Issue[]; value?: unknown };
    if (!Array.isArray(result.error)) return result;
    const repeated = isQuery ? repeatedParameters(data) : new Set<string>();
    const reportedRepeated = new Set<string>();
    const issues: Issue[] = [];
    for (const issue of result.error) {
      const parameter = firstSegment(issue.instancePath);
      if (repeated.has(parameter)) {
        if (!reportedRepeated.has(parameter)) issues.push(repeatedParameter(issue, parameter));
        reportedRepeated.add(parameter);
      } else {
        issues.push(...oneIssuePerUnknownKey(issue));
      }
    }
    return { error: issues };
  };
};

function repeatedParameters(query: unknown): Set<string> {
  if (typeof query !== 'object' || query === null) return new Set();
  return new Set(
    Object.entries(query)
      .filter(([, value]) => Array.isArray(value))
      .map(([name]) => name),
  );
}

const firstSegment = (instancePath: string) => instancePath.split('/')[1] ?? '';

function repeatedParameter(issue: Issue, parameter: string): Issue {
  return {
    ...issue,
    keyword: 'repeated',
    instancePath: `/${parameter}`,
    message: REPEATED_MESSAGE,
    params: {},
  };
}

function oneIssuePerUnknownKey(issue: Issue): Issue[] {
  const keys = issue.params.keys;
  if (issue.keyword !== 'unrecognized_keys' || !Array.isArray(keys)) return [issue];
  const parent = issue.instancePath.replace(/\/$/, '');
  return keys.map((key) => ({
    ...issue,
    instancePath: `${parent}/${String(key)}`,
    message: UNKNOWN_KEY_MESSAGE,
    params: { key },
  }));
}
