import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { activityEventSchema } from './activity-event.js';
import { toActivityData, toActivityMessage } from './activity-message.js';
import { type LeadEvent, leadEventSchema } from './lead-event.js';
import { leadKeyOf } from './lead-key.js';
import { activityEventInput, withOneFieldChanged } from './test-support/activity-arbitraries.js';
import { itAgreesWithItsSchema } from './test-support/fast-path-properties.js';
import { isWellFormedLeadEvent } from './well-formed-lead-event.js';

/** What the relay publishes (lead-events-route.ts), as the scorer reads it back from the topic. */
const published = fc
  .tuple(
    activityEventInput
      .map((input) => activityEventSchema.safeParse(input))
      .filter((result) => result.success),
    fc.bigInt({ min: 1n, max: 2n ** 63n - 1n }),
    fc.integer({ min: 1, max: 1_000_000 }),
  )
  .map(([parsed, globalPosition, streamPosition]) => {
    const message = toActivityMessage(parsed.data!, new Date());
    const event: LeadEvent = {
      eventId: message.id,
      leadId: leadKeyOf(message.lead),
      type: message.type,
      occurredAt: message.occurredAt,
      recordedAt: message.receivedAt,
      globalPosition: globalPosition.toString(),
      streamPosition,
      data: toActivityData(message),
    };
    return JSON.parse(JSON.stringify(event)) as unknown;
  });

/** A published event with one field replaced, removed or added, at the top or one level down. */
const altered = withOneFieldChanged(published, [
  'eventId',
  'leadId',
  'type',
  'occurredAt',
  'recordedAt',
  'globalPosition',
  'streamPosition',
  'data',
  'extra',
]);

describe('isWellFormedLeadEvent', () => {
  itAgreesWithItsSchema({
    check: isWellFormedLeadEvent,
    schema: leadEventSchema,
    published,
    altered,
    recognises: 'every event the relay publishes, so the scorer skips the schema for them',
  });

  it('leaves to the schema what it would change or refuse', () => {
    const base = {
      eventId: 'e1',
      leadId: 'L1',
      type: 'page.visited',
      occurredAt: '2024-05-01T10:00:00.000Z',
      recordedAt: '2024-05-01T10:00:01.000Z',
      globalPosition: '42',
      streamPosition: 3,
      data: { email: 'ann@example.com', properties: { url: '/pricing' } },
    };
    expect(isWellFormedLeadEvent(base)).toBe(true);
    for (const variant of [
      { ...base, data: { email: 'Ann@example.com' } },
      { ...base, data: { extra: 1 } },
      { ...base, occurredAt: '2024-05-01T12:00:00+02:00' },
      { ...base, extra: 1 },
      { ...base, globalPosition: 42 },
      { ...base, globalPosition: '-1' },
      { ...base, streamPosition: 0 },
      { ...base, streamPosition: 1.5 },
      { ...base, type: 'page.visit' },
      { ...base, leadId: ' L1' },
    ]) {
      expect(isWellFormedLeadEvent(variant)).toBe(false);
    }
  });
});
