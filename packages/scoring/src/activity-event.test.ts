import { describe, expect, it } from 'vitest';
import { scoringEventFromActivity, scoringEventFromStored } from './activity-event.js';

describe('scoringEventFromActivity', () => {
  const occurredAt = Date.UTC(2026, 0, 5);
  const traitsOf = (data: Parameters<typeof scoringEventFromActivity>[0]['data']) =>
    scoringEventFromActivity({ eventId: 'e1', type: 'email.clicked', occurredAt, data }).traits;

  it("offers the caller's e-mail trait, trimmed and in lower case, over the lead's address", () => {
    expect(traitsOf({ email: 'mia@gmail.com', traits: { email: ' Mia@Gmail.com ', title: 'CEO' } })).toEqual({
      email: 'mia@gmail.com',
      title: 'CEO',
    });
    expect(traitsOf({ traits: { email: 'NOAH@GMAIL.COM' } })).toEqual({ email: 'noah@gmail.com' });
  });

  it('leaves traits without an e-mail address as they are', () => {
    expect(traitsOf({ traits: { title: 'VP Sales' } })).toEqual({ title: 'VP Sales' });
    expect(traitsOf({ traits: { email: 42 } })).toEqual({ email: 42 });
    expect(traitsOf({})).toBeUndefined();
  });
});

describe('scoringEventFromStored', () => {
  it('is scoringEventFromActivity of the stored event, its time in epoch ms', () => {
    const occurredAt = new Date(Date.UTC(2026, 0, 5, 9, 30, 0, 123));
    const data = { email: 'ada@example.com', properties: { url: '/pricing' }, traits: { country: 'DE' } };
    const stored = { eventId: 'e1', type: 'page.viewed', occurredAt, data };
    expect(scoringEventFromStored(stored)).toEqual(
      scoringEventFromActivity({
        eventId: 'e1',
        type: 'page.viewed',
        occurredAt: occurredAt.getTime(),
        data,
      }),
    );
    expect(scoringEventFromStored(stored)).toEqual({
      id: 'e1',
      type: 'page.viewed',
      occurredAt: occurredAt.getTime(),
      properties: { url: '/pricing' },
      traits: { email: 'ada@example.com', country: 'DE' },
    });
  });
});
