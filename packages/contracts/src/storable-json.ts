/**
 * What PostgreSQL can store of the free-form JSON an event carries. The webhook refuses anything
 * else: accepted, an event the event store refuses would stop the consumer at that event.
 */

/** How deep properties and traits may nest (objects and arrays); jsonb refuses far deeper. */
export const MAX_JSON_DEPTH = 32;

export const unstorableTextMessage =
  'text may not contain U+0000 or an unpaired surrogate (\\ud800 to \\udfff)';

/**
 * Text PostgreSQL stores: no U+0000 (text and jsonb refuse it) and well-formed UTF-16 (a lone
 * surrogate, which JSON.parse makes from an escape such as "\ud800", has no UTF-8 form).
 */
export function isStorableText(text: string): boolean {
  return text.isWellFormed() && !text.includes('\u0000');
}

/** The first thing in a JSON value that cannot be stored, with its path below the value. */
export interface JsonProblem {
  readonly path: readonly (string | number)[];
  readonly message: string;
}

/** Which checks unstorableJsonPart makes. */
export interface StorableJsonOptions {
  /** Whether keys and strings must be storable text (default true). */
  readonly text?: boolean;
}

/**
 * The first unstorable part of `value` (as JSON.parse makes it), walked without recursion so that
 * no depth overflows the stack: a `__proto__` key (assigned as the prototype, it would vanish
 * from the stored object), nesting deeper than MAX_JSON_DEPTH levels, or a key or string that is
 * not storable text. Undefined when all of it can be stored.
 */
export function unstorableJsonPart(
  value: unknown,
  options: StorableJsonOptions = {},
): JsonProblem | undefined {
  const text = options.text ?? true;
  const pending: { value: unknown; path: (string | number)[] }[] = [{ value, path: [] }];
  for (let next = pending.pop(); next !== undefined; next = pending.pop()) {
    const { value: current, path } = next;
    if (typeof current === 'string') {
      if (text && !isStorableText(current)) return { path, message: unstorableTextMessage };
      continue;
    }
    if (typeof current !== 'object' || current === null) continue;
    if (path.length >= MAX_JSON_DEPTH) return { path, message: `may nest at most ${MAX_JSON_DEPTH} levels` };
    if (Array.isArray(current)) {
      current.forEach((item, index) => {
        pending.push({ value: item, path: [...path, index] });
      });
      continue;
    }
    for (const [key, item] of Object.entries(current)) {
      if (key === '__proto__') return { path: [...path, key], message: 'the key __proto__ is not accepted' };
      if (text && !isStorableText(key))
        return { path: [...path, key], message: `key: ${unstorableTextMessage}` };
      pending.push({ value: item, path: [...path, key] });
    }
  }
  return undefined;
}
