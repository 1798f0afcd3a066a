import type { ActivityEventInput } from '../../packages/contracts/src/index.js';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const iso = (ms: number) => new Date(ms).toISOString();

/**
 * The seed journey of the product brief, over four days from `start` (epoch ms): a VP of
 * Marketing at a 250-person software company opens and clicks emails, reads the blog, visits
 * pricing twice, submits the demo form, attends a webinar, then replies. Known by email only.
 * `pnpm demo` posts it to a running instance; the end-to-end tests post it to the services.
 */
export function seedJourney(email: string, start: number): ActivityEventInput[] {
  const lead = { email };
  const at = (offset: number) => iso(start + offset);
  return [
    {
      type: 'profile.updated',
      lead,
      occurredAt: at(0),
      traits: { title: 'VP Marketing', industry: 'software', companySize: 250 },
    },
    {
      type: 'email.opened',
      lead,
      occurredAt: at(HOUR),
      source: { utmSource: 'newsletter', utmMedium: 'email', utmCampaign: 'spring-launch' },
      properties: { campaign: 'spring-launch' },
    },
    {
      type: 'email.clicked',
      lead,
      occurredAt: at(HOUR + 5 * MINUTE),
      properties: { url: '/blog/lead-scoring' },
    },
    {
      type: 'page.visited',
      lead,
      occurredAt: at(HOUR + 6 * MINUTE),
      properties: { url: '/blog/lead-scoring' },
    },
    { type: 'page.visited', lead, occurredAt: at(DAY), properties: { url: '/pricing' } },
    { type: 'page.visited', lead, occurredAt: at(2 * DAY), properties: { url: '/pricing' } },
    { type: 'form.submitted', lead, occurredAt: at(2 * DAY + HOUR), properties: { form: 'demo-request' } },
    { type: 'webinar.attended', lead, occurredAt: at(3 * DAY), properties: { webinar: 'scoring-101' } },
    { type: 'email.replied', lead, occurredAt: at(4 * DAY), properties: { campaign: 'spring-launch' } },
  ];
}

/** How long the seed journey lasts: its last event is at start + this. */
export const SEED_JOURNEY_SPAN_MS = 4 * DAY;

/**
 * A student with a free-mail address who only opens emails (more than the daily cap counts) and
 * then unsubscribes: never a marketing-qualified lead, and its score stops at the floor.
 */
export function studentJourney(email: string, start: number): ActivityEventInput[] {
  const lead = { email };
  const opens = Array.from(
    { length: 8 },
    (_, index): ActivityEventInput => ({
      type: 'email.opened',
      lead,
      occurredAt: iso(start + HOUR + Math.floor(index / 4) * DAY + index * MINUTE),
      properties: { campaign: 'spring-launch' },
    }),
  );
  return [
    {
      type: 'profile.updated',
      lead,
      occurredAt: iso(start),
      traits: { title: 'Student', industry: 'education' },
    },
    ...opens,
    {
      type: 'email.unsubscribed',
      lead,
      occurredAt: iso(start + 2 * DAY),
      properties: { campaign: 'spring-launch' },
    },
  ];
}
