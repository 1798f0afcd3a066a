import type { z } from 'zod';
import { ConfigError, type ConfigProblem } from './config-error.js';

export type EnvSource = Readonly<Record<string, string | undefined>>;

type EnvObjectSchema = z.ZodObject<Record<string, z.ZodType>>;

/**
 * Validates every variable a schema names at once, so a bad deployment learns about all its
 * mistakes in one start attempt, not one per restart. Variables the schema does not name are
 * ignored; an empty value counts as unset (`PORT=` in a compose file means "not set").
 * Throws ConfigError; never logs.
 */
export function parseEnv<S extends EnvObjectSchema>(
  schema: S,
  source: EnvSource,
  subject: string,
): z.output<S> {
  const input: Record<string, string> = {};
  for (const variable of Object.keys(schema.shape)) {
    const value = source[variable];
    if (value !== undefined && value !== '') input[variable] = value;
  }
  const result = schema.safeParse(input);
  if (!result.success) throw new ConfigError(subject, describeIssues(schema, result.error.issues, input));
  return result.data;
}

function describeIssues(
  schema: EnvObjectSchema,
  issues: readonly z.core.$ZodIssue[],
  input: Readonly<Record<string, string>>,
): ConfigProblem[] {
  const problems = new Map<string, ConfigProblem>();
  for (const issue of issues) {
    const [head, ...subPath] = issue.path;
    const variable = String(head);
    const value = input[variable];
    const where = subPath.length > 0 ? `${formatPath(subPath)}: ` : '';
    const secret = schema.shape[variable]?.meta()?.secret === true;
    const echo = value === undefined || secret ? '' : ` (got ${JSON.stringify(value)})`;
    const reason = value === undefined ? 'is required but not set' : `${where}${issue.message}${echo}`;
    // One line per variable and reason: a list variable can fail the same way in several entries.
    problems.set(`${variable}\0${reason}`, { variable, reason });
  }
  return [...problems.values()];
}

/** [0, 'sha256'] -> "[0].sha256" */
function formatPath(path: readonly PropertyKey[]): string {
  return path
    .map((segment) => (typeof segment === 'number' ? `[${segment}]` : `.${String(segment)}`))
    .join('')
    .replace(/^\./, '');
}
