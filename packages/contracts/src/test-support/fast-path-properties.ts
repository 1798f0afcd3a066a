import fc from 'fast-check';
import { expect, it } from 'vitest';
import type { z } from 'zod';

// Generous: generating valid values runs the schemas, and CI machines are shared.
const PROPERTY_TIMEOUT_MS = 60_000;

export interface FastPathUnderTest {
  /** The hand-written check that lets a reader skip `schema`. */
  readonly check: (value: unknown) => boolean;
  readonly schema: z.ZodType;
  /** Values exactly as their producer writes them, fresh from JSON.parse. */
  readonly published: fc.Arbitrary<unknown>;
  /** Published values with a field changed (see withOneFieldChanged). */
  readonly altered: fc.Arbitrary<unknown>;
  /** Completes "recognises ...": what is published, and who skips the schema for it. */
  readonly recognises: string;
}

/**
 * The two properties every fast path over a zod schema must have (isNormalisedActivityMessage,
 * isWellFormedLeadEvent, isWellFormedScoreChange): it says yes to all its producer writes, and yes
 * only where the schema accepts the value and returns it unchanged. Registers the tests in the
 * calling describe block.
 */
export function itAgreesWithItsSchema({
  check,
  schema,
  published,
  altered,
  recognises,
}: FastPathUnderTest): void {
  it(
    `recognises ${recognises}`,
    () => {
      fc.assert(
        fc.property(published, (value) => {
          expect(check(value)).toBe(true);
        }),
        { numRuns: 200 },
      );
    },
    PROPERTY_TIMEOUT_MS,
  );

  it(
    'says yes only when the schema accepts the value and returns it unchanged',
    () => {
      fc.assert(
        fc.property(fc.oneof(altered, fc.jsonValue(), published), (value) => {
          if (!check(value)) return;
          const parsed = schema.safeParse(value);
          expect(parsed.success).toBe(true);
          expect(parsed.data).toStrictEqual(value);
        }),
        { numRuns: 500 },
      );
    },
    PROPERTY_TIMEOUT_MS,
  );
}
