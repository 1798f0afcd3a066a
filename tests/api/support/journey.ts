import type { ActivityEventInput } from '../../../packages/contracts/src/index.js';
import type { ScoringEvent } from '../../../packages/scoring/src/index.js';
import { DAY, HOUR, iso, vpTraits } from './seed.js';

/**
 * The seed journey of the product brief: a VP of Marketing at a 250-person software company
 * opens and clicks emails, reads the blog, visits pricing twice, submits the demo form, attends
 * a webinar, then replies. Known by email only, so its lead id is derived from the address.
 */
export function seedJourney(email: string, start: number, source = 'newsletter'): ActivityEventInput[] {
  const lead = { email };
  return [
    { type: 'profile.updated', lead, occurredAt: iso(start), traits: vpTraits },
    {
      type: 'email.opened',
      lead,
      occurredAt: iso(start + HOUR),
      source: { utmSource: source, utmMedium: 'email', utmCampaign: 'spring' },
      properties: { campaign: 'spring' },
    },
    {
      type: 'email.clicked',
      lead,
      occurredAt: iso(start + HOUR + 300_000),
      properties: { url: '/blog/scoring' },
    },
    { type: 'page.visited', lead, occurredAt: iso(start + 2 * HOUR), properties: { url: '/blog/scoring' } },
    { type: 'page.visited', lead, occurredAt: iso(start + DAY), properties: { url: '/pricing' } },
    { type: 'page.visited', lead, occurredAt: iso(start + 2 * DAY), properties: { url: '/pricing' } },
    {
      type: 'form.submitted',
      lead,
      occurredAt: iso(start + 2 * DAY + HOUR),
      properties: { form: 'demo-request' },
    },
    { type: 'webinar.attended', lead, occurredAt: iso(start + 3 * DAY) },
    { type: 'email.replied', lead, occurredAt: iso(start + 4 * DAY) },
  ];
}

/**
 * The engine's view of posted events, built from what was posted (not from the store): the
 * lead's address is a trait for fit rules, as the product documents it.
 */
export function scoringEventsOf(
  events: readonly ActivityEventInput[],
  ids: readonly string[],
): ScoringEvent[] {
  return events.map((event, index) => {
    const email = event.lead.email?.toLowerCase();
    const traits = email === undefined ? event.traits : { email, ...event.traits };
    return {
      id: ids[index] ?? '',
      type: event.type,
      occurredAt: Date.parse(event.occurredAt),
      ...(event.properties ? { properties: event.properties } : {}),
      ...(traits ? { traits } : {}),
    };
  });
}
