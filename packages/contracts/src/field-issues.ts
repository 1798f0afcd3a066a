import type { z } from 'zod';

/** One bad field: `path` as a person writes it (`events[3].lead.email`), and what is wrong. */
export interface FieldIssue {
  readonly path: string;
  readonly message: string;
}

/** Renders a path like `['events', 3, 'lead', 'email']` as `events[3].lead.email`. */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const segment of path) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else out += out === '' ? String(segment) : `.${String(segment)}`;
  }
  return out === '' ? '(root)' : out;
}

/** Every issue of a zod error, including unknown keys, each with its own path. */
export function describeIssues(error: z.ZodError): FieldIssue[] {
  return error.issues.flatMap((issue) => {
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((key) => ({ path: formatPath([...issue.path, key]), message: 'unknown field' }));
    }
    return [{ path: formatPath(issue.path), message: issue.message }];
  });
}
