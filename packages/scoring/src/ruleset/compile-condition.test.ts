import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { referenceGlobTest } from '../test-support/glob-reference.js';
import { compileCondition, compileConditions } from './compile-condition.js';
import type { Condition } from './condition.schema.js';

const holds = (condition: Condition, fields: Record<string, unknown> | undefined) =>
  compileCondition(condition, 'nested')(fields);

describe('conditions', () => {
  it('equals and notEquals compare exactly; a missing field is "not equal"', () => {
    const demo: Condition = { path: 'form', op: 'equals', value: 'demo-request' };
    const notDemo: Condition = { path: 'form', op: 'notEquals', value: 'demo-request' };
    expect(holds(demo, { form: 'demo-request' })).toBe(true);
    expect(holds(demo, { form: 'Demo-Request' })).toBe(false);
    expect(holds(notDemo, { form: 'contact' })).toBe(true);
    expect(holds(notDemo, {})).toBe(true);
    expect(holds(notDemo, undefined)).toBe(true);
    expect(holds({ path: 'machineOpen', op: 'equals', value: true }, { machineOpen: 'true' })).toBe(false);
  });

  it('in and notIn test membership', () => {
    const inList: Condition = { path: 'country', op: 'in', values: ['DE', 'FR', 3] };
    expect(holds(inList, { country: 'FR' })).toBe(true);
    expect(holds(inList, { country: 3 })).toBe(true);
    expect(holds(inList, { country: 'US' })).toBe(false);
    expect(holds({ path: 'country', op: 'notIn', values: ['DE'] }, { country: 'US' })).toBe(true);
    expect(holds({ path: 'country', op: 'notIn', values: ['DE'] }, { country: 'DE' })).toBe(false);
  });

  it('exists and missing treat null as absent', () => {
    expect(holds({ path: 'title', op: 'exists' }, { title: '' })).toBe(true);
    expect(holds({ path: 'title', op: 'exists' }, { title: null })).toBe(false);
    expect(holds({ path: 'title', op: 'missing' }, {})).toBe(true);
    expect(holds({ path: 'title', op: 'missing' }, { title: 'CTO' })).toBe(false);
  });

  it('numeric comparisons accept numbers and numeric text, nothing else', () => {
    const atLeast50: Condition = { path: 'size', op: 'gte', value: 50 };
    expect(holds(atLeast50, { size: 50 })).toBe(true);
    expect(holds(atLeast50, { size: '250' })).toBe(true);
    expect(holds(atLeast50, { size: '50-200' })).toBe(false);
    expect(holds(atLeast50, { size: '' })).toBe(false);
    expect(holds(atLeast50, { size: 49.9 })).toBe(false);
    expect(holds({ path: 'size', op: 'gt', value: 50 }, { size: 50 })).toBe(false);
    expect(holds({ path: 'size', op: 'lt', value: 50 }, { size: 49 })).toBe(true);
    expect(holds({ path: 'size', op: 'lte', value: 50 }, { size: 51 })).toBe(false);
  });

  it('contains ignores case and matches any of several values', () => {
    const decisionMaker: Condition = { path: 'title', op: 'contains', value: ['vp', 'director'] };
    expect(holds(decisionMaker, { title: 'VP of Marketing' })).toBe(true);
    expect(holds(decisionMaker, { title: 'Marketing DIRECTOR' })).toBe(true);
    expect(holds(decisionMaker, { title: 'Analyst' })).toBe(false);
    expect(holds(decisionMaker, { title: 42 })).toBe(false);
  });

  it('path patterns match the path of a full URL, ignoring host, query and fragment', () => {
    const pricing: Condition = { path: 'url', op: 'glob', value: ['/pricing', '/pricing/**'] };
    expect(holds(pricing, { url: 'https://acme.example/pricing?utm_source=mail#plans' })).toBe(true);
    expect(holds(pricing, { url: '/pricing/enterprise/eu' })).toBe(true);
    expect(holds(pricing, { url: 'https://acme.example/pricing-old' })).toBe(false);
    expect(holds(pricing, { url: 'https://acme.example/blog/pricing' })).toBe(false);
    expect(
      holds({ path: 'url', op: 'prefix', value: '/docs' }, { url: 'http://acme.example/docs/api' }),
    ).toBe(true);
    expect(holds({ path: 'url', op: 'prefix', value: '/' }, { url: 'https://acme.example' })).toBe(true);
  });

  it('globs: * stays within a segment, ** crosses segments, ? is one character', () => {
    expect(holds({ path: 'url', op: 'glob', value: '/blog/*' }, { url: '/blog/post' })).toBe(true);
    expect(holds({ path: 'url', op: 'glob', value: '/blog/*' }, { url: '/blog/2024/post' })).toBe(false);
    expect(holds({ path: 'url', op: 'glob', value: '/blog/**' }, { url: '/blog/2024/post' })).toBe(true);
    expect(holds({ path: 'url', op: 'glob', value: '/v?/docs' }, { url: '/v2/docs' })).toBe(true);
    expect(holds({ path: 'email', op: 'glob', value: '*@yahoo.*' }, { email: 'ann@yahoo.co.uk' })).toBe(true);
    expect(holds({ path: 'email', op: 'glob', value: '*.edu' }, { email: 'ann@mit.edu' })).toBe(true);
    expect(holds({ path: 'email', op: 'glob', value: '*.(edu)' }, { email: 'ann@mit.edu' })).toBe(false);
  });

  it('globs decide as the regular expressions they replaced did, on paths and on whole values', () => {
    const piece = fc.constantFrom('a', 'b', '/', '.', '-', '*', '**', '?', 'pricing');
    const pattern = fc.array(piece, { minLength: 1, maxLength: 8 }).map((p) => p.join(''));
    const url = fc
      .tuple(
        fc.constantFrom('', 'https://acme.example', 'http://a.b:8080', 'mailto:'),
        fc.array(fc.constantFrom('/', 'a', 'b', '.', '-', 'pricing', '*'), { maxLength: 10 }),
        fc.constantFrom('', '?plan=team', '#faq', '?a=/b#c'),
      )
      .map(([origin, path, rest]) => origin + path.join('') + rest);
    fc.assert(
      fc.property(fc.array(pattern, { minLength: 1, maxLength: 4 }), url, (patterns, value) => {
        const condition: Condition = { path: 'url', op: 'glob', value: patterns };
        expect(holds(condition, { url: value })).toBe(referenceGlobTest(patterns)(value));
      }),
      { numRuns: 2_000 },
    );
  });

  it('a hostile glob on a long URL is decided at once, in the hot path', () => {
    // With the regular expression this took seconds at 62 characters and about n^8 steps beyond.
    const hostile: Condition = { path: 'url', op: 'glob', value: ['/pricing/**', '/*a*a*a*a*a*a*a*b'] };
    const started = performance.now();
    expect(holds(hostile, { url: `https://acme.example/${'a'.repeat(2_000)}` })).toBe(false);
    expect(holds(hostile, { url: `https://acme.example/${'a'.repeat(2_000)}b?x=1` })).toBe(true);
    expect(performance.now() - started).toBeLessThan(1_000);
  });

  it('follows dotted paths through own properties only', () => {
    expect(holds({ path: 'form.kind', op: 'equals', value: 'demo' }, { form: { kind: 'demo' } })).toBe(true);
    expect(holds({ path: 'form.kind', op: 'exists' }, { form: 'demo' })).toBe(false);
    expect(holds({ path: 'constructor', op: 'exists' }, {})).toBe(false);
  });

  it('flat lookup reads a dotted path as one key (remembered traits)', () => {
    const large = compileCondition({ path: 'company.size', op: 'gte', value: 1000 }, 'flat');
    expect(large({ 'company.size': 5000 })).toBe(true);
    expect(large({ company: { size: 5000 } })).toBe(false);
  });

  it('requires every condition of a rule; no conditions always match', () => {
    const inRange = compileConditions(
      [
        { path: 'size', op: 'gte', value: 50 },
        { path: 'size', op: 'lte', value: 5000 },
      ],
      'nested',
    );
    expect(inRange({ size: 250 })).toBe(true);
    expect(inRange({ size: 6000 })).toBe(false);
    expect(compileConditions([], 'nested')(undefined)).toBe(true);
  });
});
