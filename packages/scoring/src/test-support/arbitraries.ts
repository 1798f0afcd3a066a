import fc from 'fast-check';
import type { ScoringEvent } from '../event.js';
import { DAY, HOUR } from './rulesets.js';

type Draft = Omit<ScoringEvent, 'id' | 'occurredAt'>;

const defaultEventDraft: fc.Arbitrary<Draft> = fc.oneof(
  fc.record({ type: fc.constant('email.opened'), properties: fc.record({ machineOpen: fc.boolean() }) }),
  fc.record({
    type: fc.constant('page.visited'),
    properties: fc.record({
      url: fc.constantFrom(
        '/blog/scoring',
        'https://acme.example/pricing?utm_source=x',
        '/demo/book',
        '/about',
      ),
    }),
  }),
  fc.record({
    type: fc.constant('form.submitted'),
    properties: fc.record({ form: fc.constantFrom('demo-request', 'contact', 'ebook') }),
  }),
  fc.record({
    type: fc.constant('profile.updated'),
    traits: fc.record({
      title: fc.constantFrom('VP of Marketing', 'Student', 'Head of Growth'),
      companySize: fc.integer({ min: 1, max: 20_000 }),
    }),
  }),
  fc.record({
    type: fc.constantFrom(
      'email.clicked',
      'email.replied',
      'content.downloaded',
      'webinar.attended',
      'meeting.booked',
      'email.unsubscribed',
      'email.bounced',
    ),
  }),
);

const mixedEventDraft: fc.Arbitrary<Draft> = fc.oneof(
  fc.record({
    type: fc.constantFrom('burst', 'penalty', 'weekly', 'slow-penalty', 'daily', 'reply', 'other'),
  }),
  fc.record({
    type: fc.constant('profile.updated'),
    traits: fc.record(
      {
        seniority: fc.constantFrom('junior', 'senior', 'executive'),
        company: fc.record({ size: fc.integer({ min: 1, max: 5000 }) }),
      },
      { requiredKeys: [] },
    ),
  }),
);

// Offsets cluster on a few days and hours so caps and equal timestamps are hit often, with an
// occasional jump of years to exercise long horizons.
const offset = fc.oneof(
  {
    weight: 5,
    arbitrary: fc.tuple(fc.nat(3), fc.nat(2), fc.nat(5)).map(([d, h, m]) => d * DAY + h * HOUR + m),
  },
  { weight: 3, arbitrary: fc.tuple(fc.nat(20), fc.nat(23)).map(([d, h]) => d * DAY + h * HOUR) },
  { weight: 2, arbitrary: fc.nat(60 * DAY) },
  { weight: 1, arbitrary: fc.nat(5 * 365 * DAY) },
);

export const baseTime = fc.integer({ min: Date.UTC(2015, 0, 1), max: Date.UTC(2035, 0, 1) });

function eventsFrom(draft: fc.Arbitrary<Draft>, maxLength: number): fc.Arbitrary<ScoringEvent[]> {
  return fc
    .tuple(baseTime, fc.array(fc.tuple(draft, offset), { maxLength, size: 'large' }))
    .map(([base, drafts]) => drafts.map(([d, o], i) => ({ ...d, id: `e${i}`, occurredAt: base + o })));
}

/** Unique ids, arbitrary order: a lead's event set as it might arrive. */
export const defaultEvents = (maxLength = 40) => eventsFrom(defaultEventDraft, maxLength);
export const mixedEvents = (maxLength = 40) => eventsFrom(mixedEventDraft, maxLength);

export function latestOf(events: readonly ScoringEvent[]): number {
  return events.reduce((max, e) => Math.max(max, e.occurredAt), 0);
}

// How far after an event the score is read: the same millisecond, within months, or years later.
export const readDelay = fc.oneof(fc.constant(0), fc.nat(90 * DAY), fc.nat(3650 * DAY));

/** Events and a moment to read them at: shortly or long after one of them, so caps and decay both show. */
export function eventsAndReadTime(events: fc.Arbitrary<ScoringEvent[]>) {
  return events.chain((list) =>
    fc.tuple(
      fc.constant(list),
      fc
        .tuple(
          list.length === 0 ? fc.constant(0) : fc.constantFrom(...list.map((e) => e.occurredAt)),
          readDelay,
        )
        .map(([time, delay]) => time + delay),
    ),
  );
}
