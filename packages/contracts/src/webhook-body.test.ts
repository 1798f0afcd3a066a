import { describe, expect, it } from 'vitest';
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

  it('refuses text the store cannot hold (NUL characters), deep in properties', () => {
    expect(issuesOf({ ...valid, properties: { page: { title: ['ok', 'a\u0000b'] } } })).toEqual([
      { path: 'properties', message: 'text may not contain the NUL character (U+0000)' },
    ]);
  });
});
