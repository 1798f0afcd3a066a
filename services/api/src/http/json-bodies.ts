import { type InvalidField, validationRefusal } from '@leadscore/platform';
import type { FastifyError, FastifyInstance, FastifyRequest } from 'fastify';
import { apiProblems } from './api-problems.js';

/**
 * The /v1 scope reads JSON bodies only, and says so when a body cannot be read: 415 for another
 * content type, 400 malformed-json for a body that is not JSON, 413 past the size limit, each a
 * problem of its own type instead of fastify's generic "Bad Request". Valid JSON holding a key
 * fastify refuses (see refusedKey) is a 400 validation problem naming that key, as the webhook
 * names a `__proto__` key.
 */
export function acceptJsonBodiesOnly(app: FastifyInstance): void {
  // fastify parses text/plain too, handing the schema a string ("expected object, received string").
  app.removeContentTypeParser('text/plain');
  nameRefusedKeys(app);
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

/** fastify's JSON parser in the callback form getDefaultJsonParser returns. */
type JsonParser = (
  request: FastifyRequest,
  body: string,
  done: (error: Error | null, value?: unknown) => void,
) => void;

/**
 * fastify's own JSON parser (secure-json-parse, with the app's onProtoPoisoning and
 * onConstructorPoisoning), except that a body it refuses although it is valid JSON is refused
 * naming the key, instead of as "not valid JSON". Everything else it parses or refuses as before.
 */
function nameRefusedKeys(app: FastifyInstance): void {
  const { onProtoPoisoning = 'error', onConstructorPoisoning = 'error' } = app.initialConfig;
  const parseJson = app.getDefaultJsonParser(onProtoPoisoning, onConstructorPoisoning) as JsonParser;
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser<string>('application/json', { parseAs: 'string' }, (request, body, done) => {
    parseJson(request, body, (error, value) => {
      if (error === null) done(null, value);
      else done(refusedKeyProblem(body) ?? error, undefined);
    });
  });
}

function refusedKeyProblem(body: string): Error | undefined {
  let value: unknown;
  try {
    // As secure-json-parse reads it: a byte order mark first is skipped.
    value = JSON.parse(body.charCodeAt(0) === 0xfeff ? body.slice(1) : body);
  } catch {
    return undefined;
  }
  const field = refusedKey(value);
  return field && validationRefusal([field]);
}

const PROTO_MESSAGE = 'the key __proto__ is not accepted';
const CONSTRUCTOR_MESSAGE = 'a prototype key inside a constructor key is not accepted';

/** Paths are cut here, as the text checks of the /v1 scope cut theirs. */
const MAX_PATH_LENGTH = 200;

interface Node {
  readonly value: unknown;
  readonly parent: Node | undefined;
  readonly key: string | number;
}

/**
 * A key secure-json-parse refuses in a parsed body, the first met walking it in order (an object's
 * own keys before what they hold): a `__proto__` key (it would set the prototype of the object
 * holding it), or a `constructor` key whose object holds a `prototype` key. Walked with a stack of
 * its own: a 1 MiB body can nest hundreds of thousands of levels deep.
 */
function refusedKey(body: unknown): InvalidField | undefined {
  const pending: Node[] = [{ value: body, parent: undefined, key: '' }];
  for (let node = pending.pop(); node !== undefined; node = pending.pop()) {
    const { value } = node;
    if (typeof value !== 'object' || value === null) continue;
    const children: Node[] = Array.isArray(value)
      ? value.map((item, index) => ({ value: item, parent: node, key: index }))
      : Object.entries(value).map(([key, item]) => ({ value: item, parent: node, key }));
    for (const child of children) {
      if (child.key === '__proto__') return bodyField(child, PROTO_MESSAGE);
      if (child.key === 'constructor' && typeof child.value === 'object' && child.value !== null) {
        if (Object.hasOwn(child.value, 'prototype')) {
          return bodyField({ value: undefined, parent: child, key: 'prototype' }, CONSTRUCTOR_MESSAGE);
        }
      }
    }
    // Pushed last to first, so they are walked in the order the body has them.
    for (let index = children.length - 1; index >= 0; index -= 1) pending.push(children[index]!);
  }
  return undefined;
}

/** The node's path as validation problems write it (rules[0].when), a NUL written \u0000. */
function bodyField(node: Node, message: string): InvalidField {
  const keys: (string | number)[] = [];
  for (let at: Node | undefined = node; at?.parent !== undefined; at = at.parent) keys.push(at.key);
  let path = '';
  for (const key of keys.reverse()) {
    path +=
      typeof key === 'number'
        ? `[${key}]`
        : `${path === '' ? '' : '.'}${key.replaceAll('\u0000', '\\u0000')}`;
    if (path.length > MAX_PATH_LENGTH) break;
  }
  return {
    in: 'body',
    path: path.length > MAX_PATH_LENGTH ? `${path.slice(0, MAX_PATH_LENGTH)}…` : path,
    message,
  };
}
