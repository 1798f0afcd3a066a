import type { Condition } from './condition.schema.js';
import { compileGlobs, escapeRegExp, urlPathOf } from './glob.js';

export type Fields = Readonly<Record<string, unknown>> | undefined;
export type Predicate = (fields: Fields) => boolean;

/**
 * Reads a dotted path through own properties only (so "constructor" is never found on a prototype);
 * anything that is not an object on the way yields undefined.
 */
export function readPath(fields: Fields, segments: readonly string[]): unknown {
  let value: unknown = fields;
  for (const segment of segments) {
    if (value === null || typeof value !== 'object' || !Object.hasOwn(value, segment)) return undefined;
    value = (value as Record<string, unknown>)[segment];
  }
  return value;
}

/**
 * How a condition finds its field: in event properties the path walks nested objects; a lead's
 * remembered traits are a flat map keyed by the whole path.
 */
export type Lookup = 'nested' | 'flat';

// Traits from forms often arrive as text ("250"); a numeric comparison accepts those too.
function asNumber(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  if (typeof value === 'string' && value.trim() !== '') {
    const parsed = Number(value);
    return Number.isFinite(parsed) ? parsed : undefined;
  }
  return undefined;
}

type Test = (value: unknown) => boolean;

function textTest(op: 'prefix' | 'glob' | 'contains', patterns: readonly string[]): Test {
  if (op === 'contains') {
    const needles = patterns.map((p) => p.toLowerCase());
    return (value) => {
      if (typeof value !== 'string') return false;
      const haystack = value.toLowerCase();
      return needles.some((needle) => haystack.includes(needle));
    };
  }
  // Patterns on paths and on whole values are tried separately, so a URL is reduced to its path at
  // most once per event. Prefixes are one regular expression without quantifiers (linear); globs
  // are compiled by glob.ts, whose matchers cost O(pattern × value length) whatever the pattern.
  const either = (group: readonly string[]): ((text: string) => boolean) | undefined => {
    if (group.length === 0) return undefined;
    if (op === 'prefix') {
      const prefixes = new RegExp(group.map((pattern) => `^${escapeRegExp(pattern)}`).join('|'), 's');
      return (text) => prefixes.test(text);
    }
    return compileGlobs(group);
  };
  const onPath = either(patterns.filter((p) => p.startsWith('/')));
  const onWhole = either(patterns.filter((p) => !p.startsWith('/')));
  return (value) =>
    typeof value === 'string' && ((onWhole?.(value) ?? false) || (onPath?.(urlPathOf(value)) ?? false));
}

function valueTest(condition: Condition): Test {
  switch (condition.op) {
    case 'equals':
      return (value) => value === condition.value;
    // Negations match a missing field too: "not a demo form" includes forms without a kind.
    case 'notEquals':
      return (value) => value !== condition.value;
    case 'in': {
      const values: readonly unknown[] = condition.values;
      return (value) => values.includes(value);
    }
    case 'notIn': {
      const values: readonly unknown[] = condition.values;
      return (value) => !values.includes(value);
    }
    case 'exists':
      return (value) => value !== undefined && value !== null;
    case 'missing':
      return (value) => value === undefined || value === null;
    case 'gt':
      return (value) => (asNumber(value) ?? Number.NaN) > condition.value;
    case 'gte':
      return (value) => (asNumber(value) ?? Number.NaN) >= condition.value;
    case 'lt':
      return (value) => (asNumber(value) ?? Number.NaN) < condition.value;
    case 'lte':
      return (value) => (asNumber(value) ?? Number.NaN) <= condition.value;
    case 'prefix':
    case 'glob':
    case 'contains':
      return textTest(
        condition.op,
        typeof condition.value === 'string' ? [condition.value] : condition.value,
      );
  }
}

export function compileCondition(condition: Condition, lookup: Lookup): Predicate {
  const segments = lookup === 'flat' ? [condition.path] : condition.path.split('.');
  const test = valueTest(condition);
  return (fields) => test(readPath(fields, segments));
}

/** All conditions must hold; an empty list always matches. */
export function compileConditions(conditions: readonly Condition[], lookup: Lookup): Predicate {
  const predicates = conditions.map((condition) => compileCondition(condition, lookup));
  if (predicates.length === 0) return () => true;
  if (predicates.length === 1) return predicates[0] as Predicate;
  return (fields) => predicates.every((holds) => holds(fields));
}
