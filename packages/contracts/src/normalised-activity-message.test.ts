import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { activityEventSchema } from './activity-event.js';
import { activityMessageSchema, toActivityMessage } from './activity-message.js';
import { isNormalisedActivityMessage } from './normalised-activity-message.js';
import { activityEventInput, withOneFieldChanged } from './test-support/activity-arbitraries.js';
import { itAgreesWithItsSchema } from './test-support/fast-path-properties.js';

// Generous: generating valid messages runs the schema, and CI machines are shared.
const PROPERTY_TIMEOUT_MS = 60_000;

/** What the webhook publishes, as the consumer reads it back from the topic. */
const published = activityEventInput
  .map((input) => activityEventSchema.safeParse(input))
  .filter((result) => result.success)
  .map((result) => JSON.parse(JSON.stringify(toActivityMessage(result.data!, new Date()))) as unknown);

/** A published message with one field replaced, removed or added, at the top or one level down. */
const altered = withOneFieldChanged(published, [
  'id',
  'type',
  'lead',
  'occurredAt',
  'receivedAt',
  'source',
  'properties',
  'traits',
  'extra',
]);

describe('isNormalisedActivityMessage', () => {
  itAgreesWithItsSchema({
    check: isNormalisedActivityMessage,
    schema: activityMessageSchema,
    published,
    altered,
    recognises: 'every message the webhook publishes, so the consumer skips the schema for them',
  });

  it(
    'reads instants as the schema does: any digits in the toISOString shape',
    () => {
      const digits = (n: number) => fc.array(fc.integer({ min: 0, max: 9 }), { minLength: n, maxLength: n });
      const shaped = fc
        .tuple(
          digits(4),
          fc.integer({ min: 0, max: 13 }),
          fc.integer({ min: 0, max: 32 }),
          digits(2),
          digits(2),
          digits(2),
        )
        .map(([year, month, day, hour, minute, second]) => {
          const pad = (n: number) => String(n).padStart(2, '0');
          return `${year.join('')}-${pad(month)}-${pad(day)}T${hour.join('')}:${minute.join('')}:${second.join('')}.123Z`;
        });
      const message = (occurredAt: string) => ({
        id: 'e1',
        type: 'page.visited',
        lead: { id: 'L1' },
        occurredAt,
        receivedAt: '2024-05-01T10:00:01.000Z',
      });
      fc.assert(
        fc.property(shaped, (instant) => {
          const parsed = activityMessageSchema.safeParse(message(instant));
          const unchanged = parsed.success && parsed.data.occurredAt === instant;
          expect(isNormalisedActivityMessage(message(instant))).toBe(unchanged);
        }),
        { numRuns: 1_000 },
      );
    },
    PROPERTY_TIMEOUT_MS,
  );

  it('leaves to the schema what it would change or refuse', () => {
    const base = {
      id: 'e1',
      type: 'page.visited',
      lead: { email: 'ann@example.com' },
      occurredAt: '2024-05-01T10:00:00.000Z',
      receivedAt: '2024-05-01T10:00:01.000Z',
    };
    expect(isNormalisedActivityMessage(base)).toBe(true);
    for (const instant of [
      '2024-02-29T23:59:59.999Z',
      '2000-02-29T00:00:00.000Z',
      '0001-01-01T00:00:00.000Z',
    ]) {
      expect(isNormalisedActivityMessage({ ...base, occurredAt: instant })).toBe(true);
      expect(activityMessageSchema.parse({ ...base, occurredAt: instant }).occurredAt).toBe(instant);
    }
    expect(isNormalisedActivityMessage({ ...base, occurredAt: '1900-02-29T00:00:00.000Z' })).toBe(false);
    // PostgreSQL has no year 0: the schema refuses it, so the fast path must not take it.
    expect(isNormalisedActivityMessage({ ...base, occurredAt: '0000-01-01T00:00:00.000Z' })).toBe(false);
    expect(activityMessageSchema.safeParse({ ...base, occurredAt: '0000-01-01T00:00:00.000Z' }).success).toBe(
      false,
    );
    for (const variant of [
      { ...base, lead: { email: 'Ann@example.com' } },
      { ...base, occurredAt: '2024-05-01T12:00:00+02:00' },
      { ...base, extra: 1 },
      { ...base, properties: { n: Number.NaN } },
      { ...base, type: 'profile.updated' },
      { ...base, lead: {} },
      { ...base, occurredAt: '2023-02-29T10:00:00.000Z' },
      { ...base, occurredAt: '2024-04-31T10:00:00.000Z' },
      { ...base, occurredAt: '2024-05-01T24:00:00.000Z' },
      { ...base, occurredAt: '2024-05-01T23:60:00.000Z' },
      { ...base, receivedAt: '2024-05-01T23:00:60.000Z' },
      { ...base, receivedAt: '2024-13-01T23:00:00.000Z' },
    ]) {
      expect(isNormalisedActivityMessage(variant)).toBe(false);
    }
  });
});
