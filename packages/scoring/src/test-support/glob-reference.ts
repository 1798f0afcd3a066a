// Test support only, never imported by production code: the regex-based glob matcher this package
// used until glob.ts compiled patterns itself. Its semantics are the specification the compiled
// matcher is checked against (glob.test.ts, compile-condition.test.ts); its cost is not: a backtracking
// regular expression takes time exponential in the number of stars on hostile values.

import { escapeRegExp, urlPathOf } from '../ruleset/glob.js';

/** The old `globToRegExp`: `**` is `.*`, `*` is `[^/]*`, `?` is `[^/]`, anchored, dotAll. */
export function referenceGlobToRegExp(pattern: string): RegExp {
  let source = '';
  for (let i = 0; i < pattern.length; i++) {
    const char = pattern[i] as string;
    if (char === '*' && pattern[i + 1] === '*') {
      source += '.*';
      i++;
    } else if (char === '*') {
      source += '[^/]*';
    } else if (char === '?') {
      source += '[^/]';
    } else {
      source += escapeRegExp(char);
    }
  }
  return new RegExp(`^${source}$`, 's');
}

/** The old glob condition on a value: path patterns and whole-value patterns, each one alternation. */
export function referenceGlobTest(patterns: readonly string[]): (value: unknown) => boolean {
  const either = (group: readonly string[]) =>
    group.length === 0
      ? undefined
      : new RegExp(group.map((pattern) => referenceGlobToRegExp(pattern).source).join('|'), 's');
  const onPath = either(patterns.filter((p) => p.startsWith('/')));
  const onWhole = either(patterns.filter((p) => !p.startsWith('/')));
  return (value) =>
    typeof value === 'string' &&
    ((onWhole?.test(value) ?? false) || (onPath?.test(urlPathOf(value)) ?? false));
}
