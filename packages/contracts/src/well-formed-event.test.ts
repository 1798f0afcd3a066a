import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type ActivityEvent, activityEventSchema } from './activity-event.js';
import { canonicalJson, type JsonValue } from './canonical-json.js';
import { describeIssues } from './field-issues.js';
import { activityEventInput, withOneFieldChanged } from './test-support/activity-arbitraries.js';
import { eventBatchSchema, parseWebhookBody } from './webhook-body.js';
import { readWellFormedEvent } from './well-formed-event.js';

// Generous: every case also runs the schema, and CI machines are shared.
const PROPERTY_TIMEOUT_MS = 60_000;

const eventFields = ['id', 'type', 'lead', 'occurredAt', 'source', 'properties', 'traits', 'extra'];
const anyEvent = fc.oneof(
  activityEventInput,
  withOneFieldChanged(activityEventInput, eventFields),
  fc.jsonValue({ maxDepth: 3 }),
);

/**
 * What `parseWebhookBody` returns without the fast path: the schema alone, but for a `__proto__`
 * key in properties or traits, which it refuses before the schema could drop it unseen, and for
 * two different events under one id, which it refuses after the schema. For those two, the end
 * of the path of the field that says why.
 */
function parsedBySchema(body: unknown) {
  if (hasProtoKeyInFreeForm(body)) return '__proto__';
  const batch = typeof body === 'object' && body !== null && 'events' in body;
  const result = batch ? eventBatchSchema.safeParse(body) : activityEventSchema.safeParse(body);
  if (!result.success) return { ok: false, issues: describeIssues(result.error) };
  const events = batch ? (result.data as { events: ActivityEvent[] }).events : [result.data as ActivityEvent];
  const contentById = new Map<string, string>();
  for (const event of events) {
    if (event.id === undefined) continue;
    const content = canonicalJson(event as JsonValue);
    if ((contentById.get(event.id) ?? content) !== content) return '.id';
    contentById.set(event.id, content);
  }
  return { ok: true, events };
}

/** Whether an event of the body (one or a batch) has a `__proto__` key in its properties or traits. */
function hasProtoKeyInFreeForm(body: unknown): boolean {
  const events = typeof body === 'object' && body !== null && 'events' in body ? body.events : [body];
  if (!Array.isArray(events)) return false;
  const hasProtoKey = (value: unknown): boolean =>
    typeof value === 'object' &&
    value !== null &&
    (Object.hasOwn(value, '__proto__') || Object.values(value).some(hasProtoKey));
  return events.some(
    (event) =>
      typeof event === 'object' &&
      event !== null &&
      (hasProtoKey(event.properties) || hasProtoKey(event.traits)),
  );
}

describe('readWellFormedEvent', () => {
  it(
    'returns exactly what the schema returns (values and key order), or leaves the event to it',
    () => {
      fc.assert(
        fc.property(anyEvent, (value) => {
          const read = readWellFormedEvent(value);
          if (read === undefined) return;
          const parsed = activityEventSchema.safeParse(value);
          expect(parsed.success).toBe(true);
          expect(read).toStrictEqual(parsed.data);
          expect(JSON.stringify(read)).toBe(JSON.stringify(parsed.data));
        }),
        { numRuns: 2_000 },
      );
    },
    PROPERTY_TIMEOUT_MS,
  );

  it('reads the common event: UTC instants with milliseconds or whole seconds, emails in any case', () => {
    const event = {
      id: 'e-1',
      type: 'page.visited',
      lead: { email: '  Ann@Example.COM ', id: 'crm:1' },
      occurredAt: '2024-02-29T23:59:59Z',
      source: { utmCampaign: 'spring', utmSource: 'news' },
      properties: { url: 'https://x.io', n: [1, { a: null }] },
    };
    expect(readWellFormedEvent(event)).toEqual({
      ...event,
      lead: { id: 'crm:1', email: 'ann@example.com' },
      occurredAt: '2024-02-29T23:59:59.000Z',
    });
    expect(readWellFormedEvent({ ...event, occurredAt: '2024-05-01T10:00:00.123Z' })).toBeDefined();
    for (const leftToTheSchema of [
      { ...event, occurredAt: '2024-05-01T12:00:00+02:00' },
      { ...event, occurredAt: '2024-05-01T10:00:00.1Z' },
      { ...event, occurredAt: '2023-02-29T10:00:00Z' },
      { ...event, properties: JSON.parse('{"__proto__": {"x": 1}}') },
      { ...event, type: 'profile.updated' },
      { ...event, lead: {} },
      { ...event, extra: true },
    ]) {
      expect(readWellFormedEvent(leftToTheSchema)).toBeUndefined();
    }
  });
});

describe('parseWebhookBody with the fast path', () => {
  const body = fc.oneof(
    anyEvent,
    fc.record({ events: fc.array(anyEvent, { minLength: 0, maxLength: 5 }) }),
    fc.record({ events: fc.array(activityEventInput, { minLength: 1, maxLength: 5 }) }),
    fc.record({ events: fc.array(activityEventInput, { maxLength: 2 }), extra: fc.constant(1) }),
  );

  it(
    'gives the same result as the schema alone: the same events, or the same issues',
    () => {
      fc.assert(
        fc.property(body, (value) => {
          const expected = parsedBySchema(value);
          const parsed = parseWebhookBody(value);
          if (typeof expected === 'string') {
            expect(parsed.ok).toBe(false);
            if (!parsed.ok) expect(parsed.issues.some((issue) => issue.path.endsWith(expected))).toBe(true);
          } else expect(parsed).toStrictEqual(expected);
        }),
        { numRuns: 1_000 },
      );
    },
    PROPERTY_TIMEOUT_MS,
  );
});
