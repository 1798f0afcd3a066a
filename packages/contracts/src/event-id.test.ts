import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type ActivityEvent, activityEventSchema } from './activity-event.js';
import { knownActivityTypes } from './activity-types.js';
import { canonicalJson, type JsonValue } from './canonical-json.js';
import { deterministicEventId, eventIdOf } from './event-id.js';
import { leadKeyOf } from './lead-key.js';

const jsonValue: fc.Arbitrary<JsonValue> = fc.letrec<{ value: JsonValue }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.string(),
    fc.integer(),
    fc.double({ noNaN: true, noDefaultInfinity: true }),
    fc.boolean(),
    fc.constant(null),
    fc.array(tie('value'), { maxLength: 3 }),
    fc.dictionary(fc.string({ minLength: 1, maxLength: 8 }), tie('value'), { maxKeys: 3 }),
  ),
})).value;

const jsonObject = fc.dictionary(fc.string({ minLength: 1, maxLength: 8 }), jsonValue, { maxKeys: 4 });

const eventArb: fc.Arbitrary<ActivityEvent> = fc
  .record(
    {
      type: fc.constantFrom(...knownActivityTypes.filter((t) => t !== 'profile.updated')),
      lead: fc.oneof(
        fc.record({ id: fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9._-]{0,20}$/) }),
        fc.record({
          email: fc.stringMatching(/^[A-Za-z0-9]{1,12}(\+[a-z0-9]{1,4})?@[a-z]{1,8}\.(com|org|io)$/),
        }),
      ),
      occurredAt: fc
        .date({
          min: new Date('2000-01-01T00:00:00Z'),
          max: new Date('2100-01-01T00:00:00Z'),
          noInvalidDate: true,
        })
        .map((d) => d.toISOString()),
      source: fc.record(
        { utmSource: fc.string(), utmMedium: fc.string(), utmCampaign: fc.string() },
        { requiredKeys: [] },
      ),
      properties: jsonObject,
      traits: jsonObject,
    },
    { requiredKeys: ['type', 'lead', 'occurredAt'] },
  )
  .map((raw) => activityEventSchema.parse(raw));

/** The same JSON with the keys of every object inserted in another (reversed or rotated) order. */
function reorderKeys(value: JsonValue, seed: number): JsonValue {
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((item) => reorderKeys(item, seed));
  const keys = Object.keys(value);
  const rotated =
    seed % 2 === 0
      ? keys.reverse()
      : [...keys.slice(seed % (keys.length || 1)), ...keys.slice(0, seed % (keys.length || 1))];
  const out: Record<string, JsonValue> = {};
  for (const key of rotated) out[key] = reorderKeys(value[key] as JsonValue, seed);
  return out;
}

/** The id as first defined: SHA-256 of canonicalJson of the identity object. Stored ids depend on it. */
function definedId(event: ActivityEvent): string {
  const identity: JsonValue = {
    v: 1,
    type: event.type,
    lead: leadKeyOf(event.lead),
    occurredAt: new Date(event.occurredAt).toISOString(),
    source: (event.source ?? {}) as JsonValue,
    properties: (event.properties ?? {}) as JsonValue,
    traits: (event.traits ?? {}) as JsonValue,
  };
  return `evt_${createHash('sha256').update(canonicalJson(identity), 'utf8').digest('hex').slice(0, 32)}`;
}

describe('deterministicEventId', () => {
  it('is the SHA-256 of the canonical identity object, byte for byte', () => {
    fc.assert(
      fc.property(eventArb, (event) => {
        expect(deterministicEventId(event)).toBe(definedId(event));
      }),
      { numRuns: 300 },
    );
  });

  it('gives the ids it gave before (ids already stored must keep matching resends)', () => {
    const byEmail = activityEventSchema.parse({
      type: 'page.visited',
      lead: { email: 'Ann@Example.com' },
      occurredAt: '2024-05-01T12:00:00+02:00',
      source: { utmSource: 'news', utmCampaign: 'spring' },
      properties: {
        url: 'https://example.com/é',
        n: 1.5,
        nested: { z: [1, { b: null, a: true }], a: 'x"y\\' },
      },
    });
    const profile = activityEventSchema.parse({
      type: 'profile.updated',
      lead: { id: 'crm-42' },
      occurredAt: '2024-05-01T10:00:00Z',
      traits: { Z: 2, a: 3, é: 4, '😀': 5, '\uffff': 6 },
    });
    expect(deterministicEventId(byEmail)).toBe('evt_7c9ab32bccd13440ead5581ce3658afe');
    expect(deterministicEventId(profile)).toBe('evt_2616cd992dd68f3341a1f4b6e88232a9');
  });

  it('is stable when the keys of the event and its nested objects are reordered', () => {
    fc.assert(
      fc.property(eventArb, fc.nat(), (event, seed) => {
        const reordered = reorderKeys(event as unknown as JsonValue, seed) as unknown as ActivityEvent;
        expect(deterministicEventId(reordered)).toBe(deterministicEventId(event));
      }),
    );
  });

  it('changes when any identifying field changes', () => {
    const changes: Record<string, (e: ActivityEvent) => ActivityEvent> = {
      type: (e) => ({ ...e, type: e.type === 'email.opened' ? 'email.clicked' : 'email.opened' }),
      lead: (e) => ({ ...e, lead: { id: `${e.lead.id ?? 'x'}-other` } }),
      occurredAt: (e) => ({ ...e, occurredAt: new Date(Date.parse(e.occurredAt) + 1).toISOString() }),
      source: (e) => ({ ...e, source: { ...e.source, utmCampaign: `${e.source?.utmCampaign ?? ''}!` } }),
      properties: (e) => ({ ...e, properties: { ...e.properties, 'added-key': 1 } }),
      traits: (e) => ({ ...e, traits: { ...e.traits, 'added-key': 'x' } }),
    };
    fc.assert(
      fc.property(eventArb, fc.constantFrom(...Object.keys(changes)), (event, field) => {
        const changed = changes[field]!(event);
        expect(deterministicEventId(changed)).not.toBe(deterministicEventId(event));
      }),
    );
  });

  it('ignores what does not identify the event: the same instant in another offset, email case, an empty bag', () => {
    const base = activityEventSchema.parse({
      type: 'page.visited',
      lead: { email: 'Ann@Example.com ' },
      occurredAt: '2024-05-01T10:00:00Z',
    });
    const same = activityEventSchema.parse({
      type: 'page.visited',
      lead: { email: 'ann@example.com' },
      occurredAt: '2024-05-01T12:00:00+02:00',
      properties: {},
    });
    expect(deterministicEventId(same)).toBe(deterministicEventId(base));
    expect(deterministicEventId(base)).toMatch(/^evt_[0-9a-f]{32}$/);
  });

  it('eventIdOf keeps a caller id and derives one otherwise', () => {
    const event = activityEventSchema.parse({
      type: 'email.opened',
      lead: { id: 'L1' },
      occurredAt: '2024-05-01T10:00:00Z',
    });
    expect(eventIdOf({ ...event, id: 'abc-1' })).toBe('abc-1');
    expect(eventIdOf(event)).toBe(deterministicEventId(event));
  });
});
