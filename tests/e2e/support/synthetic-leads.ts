import type { ActivityEventInput } from '../../../packages/contracts/src/index.js';
import { seededRandom } from '../../support/seeded-random.js';

const PERSONAS = [
  { traits: { title: 'VP Marketing', industry: 'software', companySize: 250 }, domain: 'acme-software.com' },
  { traits: { title: 'Head of Growth', industry: 'saas', companySize: 80 }, domain: 'growthly.io' },
  { traits: { title: 'Marketing Manager', industry: 'retail', companySize: 20 }, domain: 'shop.example' },
  { traits: { title: 'Student', industry: 'education' }, domain: 'gmail.com' },
] as const;

/** Activity types with their relative frequency: mostly opens and visits, a few strong signals. */
const ACTIVITIES: readonly [
  weight: number,
  make: (pick: () => number) => Omit<ActivityEventInput, 'lead' | 'occurredAt'>,
][] = [
  [30, () => ({ type: 'email.opened', properties: { campaign: 'autumn' } })],
  [12, () => ({ type: 'email.clicked', properties: { url: '/blog/scoring' } })],
  [30, (pick) => ({ type: 'page.visited', properties: { url: pick() < 0.15 ? '/pricing' : '/blog/post' } })],
  [
    4,
    (pick) => ({ type: 'form.submitted', properties: { form: pick() < 0.3 ? 'demo-request' : 'contact' } }),
  ],
  [5, () => ({ type: 'content.downloaded', properties: { asset: 'ebook' } })],
  [4, () => ({ type: 'webinar.attended' })],
  [2, () => ({ type: 'email.replied' })],
  [2, () => ({ type: 'email.unsubscribed' })],
];
const TOTAL_WEIGHT = ACTIVITIES.reduce((sum, [weight]) => sum + weight, 0);

export interface SyntheticOptions {
  readonly leads: number;
  readonly eventsPerLead: number;
  /** Every event occurs in [end - spanMs, end]. */
  readonly end: number;
  readonly spanMs: number;
  readonly seed: number;
  readonly tag: string;
}

/**
 * Leads with a profile event first and then activity at random instants, each with an explicit
 * id. Returned in occurrence order across all leads, the order a marketing tool would send them
 * (so each lead's events also arrive in the order they occurred).
 */
export function syntheticEvents(options: SyntheticOptions): ActivityEventInput[] {
  const pick = seededRandom(options.seed);
  const events: ActivityEventInput[] = [];
  for (let lead = 0; lead < options.leads; lead += 1) {
    const persona = PERSONAS[lead % PERSONAS.length]!;
    const ref = { id: `${options.tag}-lead-${lead}`, email: `person.${lead}@${persona.domain}` };
    const instants = Array.from({ length: options.eventsPerLead }, () =>
      Math.floor(options.end - pick() * options.spanMs),
    ).sort((a, b) => a - b);
    instants.forEach((at, index) => {
      const common = { id: `${ref.id}-e${index}`, lead: ref, occurredAt: new Date(at).toISOString() };
      events.push(
        index === 0
          ? { ...common, type: 'profile.updated', traits: { ...persona.traits } }
          : { ...common, ...activity(pick) },
      );
    });
  }
  return events.sort(
    (a, b) => Date.parse(a.occurredAt) - Date.parse(b.occurredAt) || (a.id! < b.id! ? -1 : 1),
  );
}

function activity(pick: () => number): Omit<ActivityEventInput, 'lead' | 'occurredAt'> {
  let roll = pick() * TOTAL_WEIGHT;
  for (const [weight, make] of ACTIVITIES) {
    roll -= weight;
    if (roll < 0) return make(pick);
  }
  return ACTIVITIES[0]![1](pick);
}

export function chunk<T>(items: readonly T[], size: number): T[][] {
  return Array.from({ length: Math.ceil(items.length / size) }, (_, index) =>
    items.slice(index * size, (index + 1) * size),
  );
}
