import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { activityEventSchema } from './activity-event.js';
import {
  activityMessageJson,
  activityMessageSchema,
  toActivityData,
  toActivityMessage,
} from './activity-message.js';
import { deterministicEventId, eventIdOf } from './event-id.js';
import { isNormalisedActivityMessage } from './normalised-activity-message.js';
import { activityEventInput } from './test-support/activity-arbitraries.js';

describe('activity messages', () => {
  const event = activityEventSchema.parse({
    type: 'form.submitted',
    lead: { id: 'L1', email: 'Ann@Example.com' },
    occurredAt: '2024-05-01T10:00:00Z',
    properties: { form: 'demo' },
  });

  it('carries the resolved id and the receive time, and parses back to itself', () => {
    const message = toActivityMessage(event, new Date('2024-05-01T10:00:01Z'));
    expect(message.id).toBe(deterministicEventId(event));
    expect(message.receivedAt).toBe('2024-05-01T10:00:01.000Z');
    expect(activityMessageSchema.parse(JSON.parse(JSON.stringify(message)))).toEqual(message);
  });

  it('refuses a message whose lead key has the wrong shape', () => {
    const message = { ...toActivityMessage(event, new Date()), lead: { id: 'has space' } };
    const result = activityMessageSchema.safeParse(message);
    expect(result.error?.issues.map((i) => i.path.join('.'))).toEqual(['lead.id']);
  });

  it('keeps email, source, properties and traits as the stored data', () => {
    expect(toActivityData(toActivityMessage(event, new Date()))).toEqual({
      email: 'ann@example.com',
      properties: { form: 'demo' },
    });
  });

  it('is written by activityMessageJson as toActivityMessage would serialise it', () => {
    const parsed = activityEventInput
      .map((input) => activityEventSchema.safeParse(input).data)
      .filter((value) => value !== undefined);
    fc.assert(
      fc.property(
        parsed,
        fc.date({ min: new Date('1970-01-01Z'), max: new Date('2200-01-01Z'), noInvalidDate: true }),
        (valid, receivedAt) => {
          const json = activityMessageJson(valid, eventIdOf(valid), receivedAt.toISOString());
          expect(JSON.parse(json)).toStrictEqual(
            JSON.parse(JSON.stringify(toActivityMessage(valid, receivedAt))),
          );
          expect(isNormalisedActivityMessage(JSON.parse(json))).toBe(true);
        },
      ),
      { numRuns: 500 },
    );
  });
});
