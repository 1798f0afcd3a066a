import fc from 'fast-check';
import { knownActivityTypes } from '../activity-types.js';

/** Free-form properties or traits: short keys, any JSON values. */
export const jsonBag = fc.dictionary(
  fc.string({ minLength: 1, maxLength: 8 }),
  fc.jsonValue({ maxDepth: 2 }),
  { maxKeys: 3 },
);

/** The ways sources write an instant: toISOString, whole seconds, other fractions, offsets. */
const instantInput = fc
  .tuple(
    fc.date({ min: new Date('1970-01-01Z'), max: new Date('2200-01-01Z'), noInvalidDate: true }),
    fc.constantFrom('.sssZ', 'Z', '.sZ', '.ssssZ', '+02:00', '-05:30'),
  )
  .map(([date, form]) => {
    const iso = date.toISOString();
    if (form === '.sssZ') return iso;
    if (form === 'Z') return `${iso.slice(0, 19)}Z`;
    if (form === '.sZ') return `${iso.slice(0, 21)}Z`;
    if (form === '.ssssZ') return `${iso.slice(0, 23)}7Z`;
    return iso.replace('Z', form);
  });

/** Event inputs as sources write them: any case and padding in emails, any instant form. */
export const activityEventInput = fc.record(
  {
    id: fc.stringMatching(/^[\x21-\x7e]{1,20}$/),
    type: fc.constantFrom(...knownActivityTypes, 'custom.trial_started'),
    lead: fc.oneof(
      fc.record({ id: fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9._:@+~-]{0,20}$/) }),
      fc.record({
        email: fc.stringMatching(/^ ?[A-Za-z0-9]{1,8}(\.[a-z]{1,4})?@[A-Za-z]{1,8}\.(com|ORG|io) ?$/),
      }),
      fc.record({
        id: fc.stringMatching(/^[A-Za-z0-9]{1,8}$/),
        email: fc.stringMatching(/^[a-z0-9]{1,8}@[a-z]{1,8}\.com$/),
      }),
    ),
    occurredAt: instantInput,
    source: fc.record(
      { utmCampaign: fc.string(), utmSource: fc.string(), utmMedium: fc.string() },
      { requiredKeys: [] },
    ),
    properties: jsonBag,
    traits: jsonBag,
  },
  { requiredKeys: ['type', 'lead', 'occurredAt'] },
);

/**
 * `value` (an object) with one field replaced, removed or added, at the top or one level down,
 * by values the schemas refuse or normalise: wrong types, capitals, offsets, impossible dates,
 * NUL, infinity, `__proto__` keys.
 */
export function withOneFieldChanged(
  value: fc.Arbitrary<unknown>,
  fields: readonly string[],
): fc.Arbitrary<Record<string, unknown>> {
  return fc
    .tuple(
      value,
      fc.constantFrom(...fields),
      fc.constantFrom('email', 'id', 'utmSource', 'url', 'extra', '__proto__'),
      fc.oneof(
        fc.jsonValue({ maxDepth: 2 }),
        fc.constantFrom(
          undefined,
          '',
          'A@B.COM',
          ' a@b.com',
          '2024-05-01T10:00:00Z',
          '2024-02-30T00:00:00.000Z',
          '2023-02-29T00:00:00Z',
          '2024-05-01T24:00:00Z',
        ),
        fc.constantFrom(
          '+010000-01-01T00:00:00.000Z',
          'x\u0000y',
          Number.POSITIVE_INFINITY,
          'profile.updated',
        ),
      ),
      fc.boolean(),
    )
    .map(([original, field, inner, replacement, nested]) => {
      const copy = structuredClone(original) as Record<string, unknown>;
      const target = copy[field];
      if (nested && typeof target === 'object' && target !== null) {
        Object.defineProperty(target, inner, {
          value: replacement,
          enumerable: true,
          configurable: true,
          writable: true,
        });
      } else copy[field] = replacement;
      return copy;
    });
}
