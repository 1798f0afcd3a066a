import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { referenceGlobToRegExp } from '../test-support/glob-reference.js';
import { compileGlob, compileGlobs } from './glob.js';

const matches = (pattern: string, text: string) => compileGlob(pattern)(text);
const reference = (pattern: string, text: string) => referenceGlobToRegExp(pattern).test(text);

// Characters a pattern or a value is made of: the wildcards, "/", ".", characters that are special
// in regular expressions, a newline, a non-ASCII letter and both halves of a surrogate pair.
const ALPHABET = ['a', 'b', '/', '.', '*', '?', '-', '\\', '(', '\n', 'é', '\uD83D', '\uDE00'];
const char = fc.constantFrom(...ALPHABET);
const text = (maxLength: number) => fc.array(char, { maxLength }).map((chars) => chars.join(''));

// Patterns as tokens, so that longer patterns keep a bounded number of stars: the reference is a
// backtracking regular expression, and random values must not make it (and the test) slow.
const token = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom('a', 'b', '/', '.', '-', 'é', '\\', '(') },
  { weight: 1, arbitrary: fc.constantFrom('*', '**', '?') },
);
const tokens = (minLength: number, maxLength: number) => fc.array(token, { minLength, maxLength });

// A value the pattern matches (each wildcard replaced by what it may take), then possibly changed
// in one place, so that both answers come up often.
function instance(patternTokens: readonly string[]): fc.Arbitrary<string> {
  const segment = fc.array(fc.constantFrom('a', 'b', '.', 'é'), { maxLength: 3 }).map((c) => c.join(''));
  const anything = fc.array(fc.constantFrom('a', '/', '.'), { maxLength: 4 }).map((c) => c.join(''));
  const parts = patternTokens.map((t) =>
    t === '**' ? anything : t === '*' ? segment : t === '?' ? fc.constantFrom('a', '.', '*') : fc.constant(t),
  );
  return fc
    .tuple(fc.tuple(...parts), fc.nat(), fc.constantFrom('', '/', 'a', 'drop'))
    .map(([chosen, at, change]) => {
      const value = chosen.join('');
      if (change === '') return value;
      const i = value.length === 0 ? 0 : at % value.length;
      return change === 'drop'
        ? value.slice(0, i) + value.slice(i + 1)
        : value.slice(0, i) + change + value.slice(i);
    });
}
const patternAndInstance = (minLength: number, maxLength: number) =>
  tokens(minLength, maxLength).chain((t) => fc.tuple(fc.constant(t.join('')), instance(t)));

describe('glob syntax', () => {
  it('* stays within a segment, ** crosses segments, ? is one character but "/"', () => {
    expect(matches('/blog/*', '/blog/post')).toBe(true);
    expect(matches('/blog/*', '/blog/')).toBe(true);
    expect(matches('/blog/*', '/blog/2024/post')).toBe(false);
    expect(matches('/blog/**', '/blog/2024/post')).toBe(true);
    expect(matches('/**/pricing/**', '/en/eu/pricing/team')).toBe(true);
    expect(matches('/**/pricing/**', '/pricing/team')).toBe(false);
    expect(matches('/v?/docs', '/v2/docs')).toBe(true);
    expect(matches('/v?/docs', '/v//docs')).toBe(false);
    expect(matches('/v?/docs', '/v22/docs')).toBe(false);
  });

  it('matches whole values, case-sensitively, with no escapes', () => {
    expect(matches('/pricing', '/pricing/')).toBe(false);
    expect(matches('pricing', '/pricing')).toBe(false);
    expect(matches('/Pricing', '/pricing')).toBe(false);
    expect(matches('a\\*b', 'a\\xb')).toBe(true);
    expect(matches('a\\*b', 'a*b')).toBe(false);
    expect(matches('*.(edu)', 'ann@mit.(edu)')).toBe(true);
    expect(matches('*.(edu)', 'ann@mit.edu')).toBe(false);
  });

  it('reads stars left to right: *** is ** then *', () => {
    expect(matches('/a***', '/a/b/c')).toBe(true);
    expect(matches('***/x', 'a/b/x')).toBe(true);
    expect(matches('*x*y', 'x/xy')).toBe(false);
    expect(matches('**x*y', 'x/xy')).toBe(true);
  });

  it('lets wildcards take newlines and single UTF-16 code units', () => {
    expect(matches('a*b', 'a\nb')).toBe(true);
    expect(matches('a?b', 'a\nb')).toBe(true);
    expect(matches('a?b', 'a😀b')).toBe(false);
    expect(matches('a??b', 'a😀b')).toBe(true);
    expect(matches('*😀*?', 'x😀y\uDE00')).toBe(true);
  });
});

describe('glob matching agrees with the regular expressions it replaces', () => {
  it('on random patterns and values', () => {
    fc.assert(
      fc.property(text(12), text(24), (pattern, value) => {
        expect(matches(pattern, value)).toBe(reference(pattern, value));
      }),
      { numRuns: 3_000 },
    );
  });

  it('on values made from the pattern, matching or nearly', () => {
    fc.assert(
      fc.property(patternAndInstance(0, 16), ([pattern, value]) => {
        expect(matches(pattern, value)).toBe(reference(pattern, value));
      }),
      { numRuns: 3_000 },
    );
  });

  it('on patterns with more than 31 tokens between the first and the last star', () => {
    const long = fc
      .tuple(tokens(30, 45), fc.constantFrom('*', '**'), fc.constantFrom('*', '**'))
      .map(([middle, first, last]) => [first, ...middle, last]);
    fc.assert(
      fc.property(
        long.chain((t) => fc.tuple(fc.constant(t.join('')), instance(t))),
        ([pattern, value]) => {
          expect(matches(pattern, value)).toBe(reference(pattern, value));
        },
      ),
      { numRuns: 500 },
    );
  });

  it('for lists of patterns, which match when any does', () => {
    fc.assert(
      fc.property(fc.array(text(8), { minLength: 1, maxLength: 4 }), text(16), (patterns, value) => {
        const expected = patterns.some((pattern) => reference(pattern, value));
        expect(compileGlobs(patterns)(value)).toBe(expected);
      }),
      { numRuns: 2_000 },
    );
  });
});

describe('glob lists', () => {
  it('keep each pattern apart when many are compiled together', () => {
    // Patterns with one kind of star share one regular expression and number its groups in turn.
    const patterns = Array.from({ length: 12 }, (_, i) => `*${i % 10}*${i < 10 ? 'x' : 'y'}*`);
    patterns.push('/**/z/**', '/a/**/*.b');
    const matchesAny = compileGlobs(patterns);
    for (const value of ['a1bxc', 'a1byc', '0y', '10y', 'x1x', '/q/z/q', '/a/q/r.b', '/a/q/r/s.b', '/z/']) {
      expect(matchesAny(value)).toBe(patterns.some((pattern) => reference(pattern, value)));
    }
  });
});

describe('glob matching cost', () => {
  // The regular expressions these patterns used to compile to backtrack through every way of
  // splitting the value between the stars (about n^8 steps for the first): a single call would not
  // finish in any test's lifetime. The compiled matchers take well under a millisecond for each; the
  // bound is a second so that a loaded machine cannot fail it, while the old cost cannot pass it.
  // All but the first value pass the head and tail checks, so that the middle has to be matched.
  const a = (n: number) => 'a'.repeat(n);
  const hostile: { pattern: string; value: (n: number) => string; shape: string }[] = [
    { pattern: '/*a*a*a*a*a*a*a*b', value: (n) => `/${a(n)}`, shape: 'the reported one' },
    { pattern: '/*a*a*a*a*a*a*a*c*b', value: (n) => `/${a(n)}b`, shape: '`*` only' },
    { pattern: '**a**a**a**a**a**a**a**c**b', value: (n) => `${a(n)}b`, shape: '`**` only' },
    { pattern: '*?*?*?*?*?*?*?*?c*b', value: (n) => `${a(n)}b`, shape: '`?` between stars' },
    { pattern: '*a**a*a**a*a**a*a**c*b', value: (n) => `${a(n)}b`, shape: 'both kinds of star' },
    { pattern: `${'*a**a'.repeat(10)}*c*b`, value: (n) => `${a(n)}b`, shape: 'both kinds, 40 tokens' },
    { pattern: '/**/*/**/*/**/*/**/*/c/b', value: (n) => `${'/a'.repeat(n / 2)}/b`, shape: 'segments' },
    { pattern: '**aaaaaaaaab**aaaaaaaaab**c', value: (n) => `${a(n)}c`, shape: 'long pieces, nearly there' },
  ];

  it.each(hostile)('$pattern ($shape) answers within a second on 2,000 characters', ({ pattern, value }) => {
    const text = value(2_000);
    const started = performance.now();
    expect(matches(pattern, text)).toBe(false);
    expect(compileGlobs(['/other/**', pattern])(text)).toBe(false);
    expect(performance.now() - started).toBeLessThan(1_000);
  });

  it('answers within a second on 200,000 characters, whatever the shape', () => {
    const started = performance.now();
    for (const { pattern, value } of hostile) expect(matches(pattern, value(200_000))).toBe(false);
    expect(matches('/*a*a*a*a*a*a*a*', `/${a(200_000)}`)).toBe(true);
    expect(performance.now() - started).toBeLessThan(1_000);
  });
});
