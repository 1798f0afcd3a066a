import type { FastifyRequest } from 'fastify';
import type { InvalidField } from './problem.js';
import { validationRefusal } from './validation-refusal.js';

/** Enough to point at the mistake; a body full of NULs would otherwise answer a list as long as itself. */
export const MAX_UNSTORABLE_FIELDS = 20;

/** Paths are cut here: a value nested 100,000 deep would otherwise be named by a 300 kB path. */
const MAX_PATH_LENGTH = 200;

const NUL = '\u0000';

/**
 * Why PostgreSQL cannot store `text`, or undefined when it can. It refuses U+0000 in text and
 * jsonb; a lone surrogate (JSON.parse makes one of an escape such as "\ud800") has no UTF-8 form,
 * so jsonb refuses it and a text column would silently store U+FFFD in its place.
 */
export function unstorableTextReason(text: string): string | undefined {
  if (text.includes(NUL)) return 'must not contain the NUL character (U+0000)';
  if (!text.isWellFormed()) return 'must not contain an unpaired surrogate (U+D800 to U+DFFF)';
  return undefined;
}

/** A key as a path shows it: a NUL written as the escape \u0000, so the path stays readable. */
const printable = (key: string) => key.replaceAll(NUL, '\\u0000');

/** A path in the form validation problems use: events[3].lead.email. */
function childPath(parent: string, key: string | number): string {
  if (typeof key === 'number') return `${parent}[${key}]`;
  return parent === '' ? printable(key) : `${parent}.${printable(key)}`;
}

function field(where: string, path: string, message: string): InvalidField {
  return {
    in: where,
    path: path.length > MAX_PATH_LENGTH ? `${path.slice(0, MAX_PATH_LENGTH)}…` : path,
    message,
  };
}

/**
 * Every string value, and every object key, PostgreSQL could not store (unstorableTextReason) in
 * a parsed request part (params, querystring or JSON body), in document order, up to
 * MAX_UNSTORABLE_FIELDS. Such a value could only fail later, as a 500, after part of the work.
 * The walk keeps its own stack instead of recursing: a 1 MiB JSON body can nest hundreds of
 * thousands of levels deep, which recursion would pay for with a stack overflow.
 */
export function unstorableTextFields(where: string, value: unknown): InvalidField[] {
  const fields: InvalidField[] = [];
  const pending: { path: string; value: unknown }[] = [{ path: '', value }];
  while (pending.length > 0 && fields.length < MAX_UNSTORABLE_FIELDS) {
    const next = pending.pop()!;
    if (typeof next.value === 'string') {
      const reason = unstorableTextReason(next.value);
      if (reason) fields.push(field(where, next.path, reason));
      continue;
    }
    if (typeof next.value !== 'object' || next.value === null) continue;
    const children: { path: string; value: unknown }[] = [];
    if (Array.isArray(next.value)) {
      next.value.forEach((item, index) => {
        children.push({ path: childPath(next.path, index), value: item });
      });
    } else {
      for (const [key, item] of Object.entries(next.value)) {
        const path = childPath(next.path, key);
        const reason = unstorableTextReason(key);
        // A bad key is named once; what it holds is not looked into.
        if (reason) fields.push(field(where, path, `key ${reason}`));
        else children.push({ path, value: item });
      }
    }
    // Pushed last to first, so they are popped (and reported) in the order the request has them.
    for (let index = children.length - 1; index >= 0; index -= 1) pending.push(children[index]!);
  }
  return fields.slice(0, MAX_UNSTORABLE_FIELDS);
}

/** The request parts a route reads, as fastify names them in validation errors. */
const PARTS = [
  { schema: 'params', where: 'params', value: (request: FastifyRequest) => request.params },
  { schema: 'querystring', where: 'querystring', value: (request: FastifyRequest) => request.query },
  { schema: 'body', where: 'body', value: (request: FastifyRequest) => request.body },
] as const;

/**
 * A preValidation hook refusing, with one 400 validation problem naming each field, a request
 * whose params, querystring or body holds text PostgreSQL cannot store (unstorableTextFields).
 * Only the parts the route has a schema for are looked at: it never reads the others.
 */
export async function refuseUnstorableText(request: FastifyRequest): Promise<void> {
  const schema = request.routeOptions.schema as Readonly<Record<string, unknown>> | undefined;
  if (schema === undefined) return;
  const fields = PARTS.filter((part) => schema[part.schema] !== undefined).flatMap((part) =>
    unstorableTextFields(part.where, part.value(request)),
  );
  if (fields.length > 0) throw validationRefusal(fields.slice(0, MAX_UNSTORABLE_FIELDS));
}
