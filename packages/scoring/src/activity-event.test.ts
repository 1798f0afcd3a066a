import { describe, expect, it } from 'vitest';
import { scoringEventFromActivity, scoringEventFromStored } from './activity-event.js';

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
