import {
  type ActivityEventInput,
  activityEventSchema,
  leadKeyOf,
  toActivityMessage,
} from '@leadscore/contracts';
import { generateActivityEvents } from '../../../tests/support/generated-activity.js';

/** `count` distinct webhook events over `leads` leads (half known by id, half by email only). */
export function benchEvents(count: number, leads: number, tag: string): ActivityEventInput[] {
  return generateActivityEvents(count, leads, tag, {
    start: Date.UTC(2026, 0, 1),
    email: (lead) => `person.${lead}@example.com`,
    properties: (i) => ({ url: `https://example.com/page/${i % 50}`, campaign: 'spring-launch' }),
  });
}

/** The activity-topic messages the webhook would publish for these events (same key, same bytes). */
export function activityMessagesOf(events: readonly ActivityEventInput[], receivedAt: Date) {
  return events.map((input) => {
    const message = toActivityMessage(activityEventSchema.parse(input), receivedAt);
    return { key: leadKeyOf(message.lead), value: JSON.stringify(message) };
  });
}
