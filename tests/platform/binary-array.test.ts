/**
 * binaryArray's parameters read back by PostgreSQL as the arrays they were made from: every
 * element, nulls, empty arrays, text no literal could carry unquoted, and 64-bit positions.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { binaryArray } from '../../packages/platform/src/index.js';
import { useMigratedDatabase } from '../support/migrated-database.js';

const { pool } = useMigratedDatabase(1);

/** The array the server received, as text elements (null stays null): no driver parsing between. */
async function received(cast: string, parameter: Buffer): Promise<(string | null)[]> {
  const { rows } = await pool().query<{ element: string | null }>(
    `SELECT element::text FROM unnest($1::${cast}) WITH ORDINALITY AS a(element, n) ORDER BY n`,
    [parameter],
  );
  return rows.map((row) => row.element);
}

const asText = (value: bigint | number | string | null) => (value === null ? null : String(value));

describe('binaryArray', () => {
  it('float8[]: every double bit for bit, nulls where null', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.option(fc.double({ noNaN: true }), { nil: null }), { maxLength: 40 }),
        async (values) => {
          const { rows } = await pool().query<{ element: number | null }>(
            'SELECT element FROM unnest($1::float8[]) WITH ORDINALITY AS a(element, n) ORDER BY n',
            [binaryArray('float8[]', values)],
          );
          // Object.is tells -0 from 0.
          expect(rows.map((row) => row.element).every((element, i) => Object.is(element, values[i]))).toBe(
            true,
          );
          expect(rows).toHaveLength(values.length);
        },
      ),
      { numRuns: 50 },
    );
  });

  it('bigint[]: bigints, safe integers and decimal strings up to 64 bits', async () => {
    const int64 = fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n });
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.oneof(int64, fc.maxSafeInteger(), int64.map(String), fc.constant(null)), {
          maxLength: 40,
        }),
        async (values) => {
          expect(await received('bigint[]', binaryArray('bigint[]', values))).toEqual(values.map(asText));
        },
      ),
      { numRuns: 50 },
    );
  });

  it('integer[] and text[]: 32-bit integers, and any text, quotes, braces and commas included', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.option(fc.integer(), { nil: null }), { maxLength: 40 }),
        // PostgreSQL text holds no NUL character.
        fc.array(
          fc.option(
            fc.string({ unit: 'grapheme' }).filter((s) => !s.includes('\0')),
            { nil: null },
          ),
          {
            maxLength: 40,
          },
        ),
        async (integers, texts) => {
          expect(await received('integer[]', binaryArray('integer[]', integers))).toEqual(
            integers.map(asText),
          );
          expect(await received('text[]', binaryArray('text[]', texts))).toEqual(texts);
        },
      ),
      { numRuns: 50 },
    );
    expect(
      await received('text[]', binaryArray('text[]', ['{"a",b}', 'NULL', '', 'back\\slash', 'é ✓'])),
    ).toEqual(['{"a",b}', 'NULL', '', 'back\\slash', 'é ✓']);
  });

  it('empty arrays of every type', async () => {
    for (const type of ['float8[]', 'bigint[]', 'integer[]', 'text[]'] as const) {
      const { rows } = await pool().query<{ n: number }>(`SELECT cardinality($1::${type}) AS n`, [
        binaryArray(type, []),
      ]);
      expect(rows).toEqual([{ n: 0 }]);
    }
  });

  it('refuses what the type cannot hold instead of sending something else', () => {
    expect(() => binaryArray('integer[]', [1.5])).toThrow(RangeError);
    expect(() => binaryArray('integer[]', [2 ** 31])).toThrow(RangeError);
    expect(() => binaryArray('bigint[]', [0.5])).toThrow(RangeError);
    expect(() => binaryArray('bigint[]', ['12x'])).toThrow(SyntaxError);
    expect(() => binaryArray('bigint[]', [(2n ** 63n).toString()])).toThrow(RangeError);
    expect(() => binaryArray('bigint[]', [-(2n ** 63n) - 1n])).toThrow(RangeError);
  });

  it('is read as the type the statement casts it to, and refused as another', async () => {
    await expect(pool().query('SELECT $1::bigint[]', [binaryArray('float8[]', [1])])).rejects.toThrow(
      /element type 701 .* instead of expected 20/,
    );
  });
});
