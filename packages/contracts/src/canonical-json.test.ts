import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalJson, type JsonValue } from './canonical-json.js';

/** The definition canonicalJson must keep matching byte for byte: stored event ids hash its output. */
function definition(value: JsonValue): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(definition).join(',')}]`;
  const entries = Object.keys(value)
    .filter((key) => value[key] !== undefined)
    .sort()
    .map((key) => `${JSON.stringify(key)}:${definition(value[key] as JsonValue)}`);
  return `{${entries.join(',')}}`;
}

describe('canonicalJson', () => {
  it('equals the plain definition for any JSON value, keys of any text', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        expect(canonicalJson(value as JsonValue)).toBe(definition(value as JsonValue));
      }),
      { numRuns: 500 },
    );
  });

  it('sorts keys by UTF-16 code units at every depth and leaves undefined entries out', () => {
    const value = { b: [{ z: 1, a: null }], A: 'x', é: true, '😀': 2, '\uffff': 3, gone: undefined };
    expect(canonicalJson(value as unknown as JsonValue)).toBe(
      '{"A":"x","b":[{"a":null,"z":1}],"é":true,"😀":2,"\uffff":3}',
    );
  });
});
