import {
  type ActivityEventInput,
  activityEventSchema,
  leadKeyOf,
  toActivityMessage,
} from '@leadscore/contracts';

const types = [
  'email.opened',
  'email.clicked',
  'page.visited',
  'form.submitted',
  'content.downloaded',
] as const;

/** `count` distinct webhook events over `leads` leads (half known by id, half by email only). */
export function benchEvents(count: number, leads: number, tag: string): ActivityEventInput[] {
  const start = Date.UTC(2026, 0, 1);
  return Array.from({ length: count }, (_, i) => {
    const lead = i % leads;
    return {
      ...(i % 2 === 0 ? { id: `${tag}-${i}` } : {}),
      type: types[i % types.length]!,
      lead: lead % 2 === 0 ? { id: `${tag}-lead-${lead}` } : { email: `person.${lead}@example.com` },
      occurredAt: new Date(start + i * 1_000).toISOString(),
      properties: { url: `https://example.com/page/${i % 50}`, campaign: 'spring-launch' },
    };
  });
}

/** The activity-topic messages the webhook would publish for these events (same key, same bytes). */
export function activityMessagesOf(events: readonly ActivityEventInput[], receivedAt: Date) {
  return events.map((input) => {
    const message = toActivityMessage(activityEventSchema.parse(input), receivedAt);
    return { key: leadKeyOf(message.lead), value: JSON.stringify(message) };
  });
}
