import { describe, expect, it } from 'vitest';
import { deterministicEventId } from './event-id.js';
import { MAX_JSON_DEPTH, unstorableTextMessage } from './storable-json.js';
import { maxEventsPerBatch, parseWebhookBody } from './webhook-body.js';

const valid = {
  type: 'email.opened',
  lead: { email: '  Ann@Example.COM' },
  occurredAt: '2024-05-01T12:00:00+02:00',
};

function issuesOf(body: unknown) {
  const result = parseWebhookBody(body);
  if (result.ok) throw new Error('expected the body to be refused');
  return result.issues;
}

describe('parseWebhookBody', () => {
  it('accepts one event and normalises email and time', () => {
    const result = parseWebhookBody(valid);
    expect(result).toEqual({
      ok: true,
      events: [
        { type: 'email.opened', lead: { email: 'ann@example.com' }, occurredAt: '2024-05-01T10:00:00.000Z' },
      ],
    });
  });

  it('accepts a batch, custom types and profile updates', () => {
    const result = parseWebhookBody({
      events: [
        { ...valid, id: 'e-1', source: { utmSource: 'news' }, properties: { url: 'https://x.io/pricing' } },
        { ...valid, type: 'custom.trial_started' },
        {
          type: 'profile.updated',
          lead: { id: 'crm:42' },
          occurredAt: '2024-05-01T10:00:00Z',
          traits: { jobTitle: 'VP' },
        },
      ],
    });
    expect(result.ok && result.events.map((e) => e.type)).toEqual([
      'email.opened',
      'custom.trial_started',
      'profile.updated',
    ]);
  });

  it('refuses a batch whole, naming every bad field with its index', () => {
    const issues = issuesOf({
      events: [
        valid,
        { type: 'email.open', lead: {}, occurredAt: '2024-05-01T10:00:00' },
        { ...valid, lead: { email: 'not-an-email' }, colour: 'red' },
        {
          type: 'profile.updated',
          lead: { id: 'L1' },
          occurredAt: '2024-02-30T00:00:00Z',
          properties: { a: 1 },
        },
      ],
    });
    expect(issues.map((i) => i.path).sort()).toEqual(
      [
        'events[1].type',
        'events[1].lead',
        'events[1].occurredAt',
        'events[2].lead.email',
        'events[2].colour',
        'events[3].occurredAt',
        'events[3].traits',
        'events[3].properties',
      ].sort(),
    );
    expect(issues.find((i) => i.path === 'events[1].lead')?.message).toBe('lead needs an id or an email');
    expect(issues.find((i) => i.path === 'events[2].colour')?.message).toBe('unknown field');
  });

  it('names fields without an index for a single event', () => {
    expect(issuesOf({ ...valid, occurredAt: 'yesterday' })).toEqual([
      { path: 'occurredAt', message: expect.stringContaining('offset') },
    ]);
  });

  it('refuses an empty batch and one over the limit', () => {
    expect(issuesOf({ events: [] })).toEqual([
      { path: 'events', message: 'a batch needs at least one event' },
    ]);
    const tooMany = Array.from({ length: maxEventsPerBatch + 1 }, () => valid);
    expect(issuesOf({ events: tooMany })).toEqual([
      { path: 'events', message: `a batch holds at most ${maxEventsPerBatch} events` },
    ]);
  });

  it('refuses lead ids with unsafe characters and wrong types', () => {
    const paths = issuesOf({
      events: [
        { ...valid, lead: { id: 'a b/c' } },
        { ...valid, properties: 'x' },
      ],
    }).map((i) => i.path);
    expect(paths).toEqual(['events[0].lead.id', 'events[1].properties']);
  });

  it('refuses text the store cannot hold (NUL, unpaired surrogates), naming where it is', () => {
    expect(issuesOf({ ...valid, properties: { page: { title: ['ok', 'a\u0000b'] } } })).toEqual([
      { path: 'properties.page.title[1]', message: unstorableTextMessage },
    ]);
    expect(issuesOf({ events: [valid, { ...valid, traits: { '\udc00': 1 } }] })).toEqual([
      { path: 'events[1].traits.\udc00', message: `key: ${unstorableTextMessage}` },
    ]);
    expect(issuesOf({ ...valid, source: { utmSource: 'a\ud800' } })).toEqual([
      { path: 'source.utmSource', message: unstorableTextMessage },
    ]);
    // A surrogate pair is text like any other.
    expect(parseWebhookBody({ ...valid, properties: { emoji: '\ud83d\ude00' } }).ok).toBe(true);
  });

  it('refuses a __proto__ key, which would vanish from the stored object', () => {
    const body = JSON.parse(
      '{"type":"email.opened","lead":{"id":"p-1"},"occurredAt":"2024-05-01T12:00:00Z","properties":{"__proto__":{"x":1}}}',
    );
    expect(issuesOf(body)).toEqual([
      { path: 'properties.__proto__', message: 'the key __proto__ is not accepted' },
    ]);
  });

  it(`refuses properties nesting deeper than ${MAX_JSON_DEPTH} levels, however deep, without recursing`, () => {
    const nested = (depth: number): unknown => {
      let value: unknown = 1;
      for (let level = 0; level < depth; level += 1) value = { a: value };
      return value;
    };
    expect(parseWebhookBody({ ...valid, properties: nested(MAX_JSON_DEPTH) }).ok).toBe(true);
    for (const depth of [MAX_JSON_DEPTH + 1, 100_000]) {
      const [issue] = issuesOf({ ...valid, properties: nested(depth) });
      expect(issue?.message).toBe(`may nest at most ${MAX_JSON_DEPTH} levels`);
      expect(issue?.path).toMatch(/^properties(\.a)+$/);
    }
  });

  it('refuses instants outside the years PostgreSQL stores, once normalised to UTC', () => {
    for (const occurredAt of [
      '0000-06-01T00:00:00Z',
      '0001-01-01T00:30:00+01:00',
      '9999-12-31T23:59:59-05:00',
    ]) {
      expect(issuesOf({ ...valid, occurredAt })).toEqual([
        { path: 'occurredAt', message: 'must fall between 0001-01-01 and 9999-12-31 in UTC' },
      ]);
    }
    expect(parseWebhookBody({ ...valid, occurredAt: '0001-01-01T00:00:00Z' }).ok).toBe(true);
    expect(parseWebhookBody({ ...valid, occurredAt: '9999-12-31T23:59:59.999Z' }).ok).toBe(true);
  });

  it('refuses two different events under one id in a batch, and takes the same event twice', () => {
    const first = { ...valid, id: 'esp-1' };
    expect(issuesOf({ events: [first, valid, { ...first, type: 'email.clicked' }] })).toEqual([
      {
        path: 'events[2].id',
        message: 'repeats the id of events[0] with other content: an id names one event',
      },
    ]);
    const resent = parseWebhookBody({ events: [first, { ...first, lead: { email: 'ANN@example.com' } }] });
    expect(resent.ok && resent.events.length).toBe(2);
  });

  it('refuses an email that only lower-casing makes ASCII (the Kelvin sign), so two inputs never make one lead', () => {
    expect(issuesOf({ ...valid, lead: { email: 'KELVIN\u212a@acme.example' } })).toEqual([
      { path: 'lead.email', message: 'Invalid email address' },
    ]);
    const kelvin = parseWebhookBody({ ...valid, lead: { email: 'KELVINK@acme.example' } });
    expect(kelvin.ok && kelvin.events[0]?.lead).toEqual({ email: 'kelvink@acme.example' });
  });

  it('refuses the ids of stage changes, and derived ids on events they were not derived from', () => {
    const parsed = parseWebhookBody(valid);
    const ownId = deterministicEventId(parsed.ok ? parsed.events[0]! : ({} as never));
    expect(
      issuesOf({
        events: [
          { ...valid, id: 'stg_f4c94b7fc3ea016461e39ad8e3b618b1' },
          { ...valid, id: ownId, type: 'email.clicked' },
          { ...valid, id: 'evt_not-derived' },
        ],
      }),
    ).toEqual([
      { path: 'events[0].id', message: 'ids starting with stg_ name stage changes: choose another id' },
      {
        path: 'events[1].id',
        message:
          "ids starting with evt_ are derived from an event's content, and this is not this event's: send it without an id, or choose another",
      },
      {
        path: 'events[2].id',
        message:
          "ids starting with evt_ are derived from an event's content, and this is not this event's: send it without an id, or choose another",
      },
    ]);
    expect(issuesOf({ ...valid, id: 'stg_1' })).toEqual([
      { path: 'id', message: 'ids starting with stg_ name stage changes: choose another id' },
    ]);
    // A resend under the id the webhook answered for exactly this event.
    const resent = parseWebhookBody({ ...valid, id: ownId });
    expect(resent.ok && resent.events[0]?.id).toBe(ownId);
  });

  it('names a conflicting id beside the schema problems of other events, in one answer', () => {
    const first = { ...valid, id: 'esp-1' };
    const invalid = { ...valid, id: 'esp-1', occurredAt: 'yesterday' };
    expect(
      issuesOf({ events: [first, { ...valid, lead: {} }, { ...first, type: 'email.clicked' }, invalid] }),
    ).toEqual([
      { path: 'events[1].lead', message: expect.any(String) },
      { path: 'events[3].occurredAt', message: expect.any(String) },
      {
        path: 'events[2].id',
        message: 'repeats the id of events[0] with other content: an id names one event',
      },
    ]);
  });
});
