import type { ScoringEvent } from '../src/index.js';

const DAY = 86_400_000;

// mulberry32: a tiny seeded generator, so every run folds the same events.
export function randomSource(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Draft = Pick<ScoringEvent, 'type' | 'properties' | 'traits'>;

// A plausible mix for marketing automation traffic: mostly opens and page views.
const MIX: [weight: number, draft: (random: () => number) => Draft][] = [
  [32, () => ({ type: 'email.opened', properties: { machineOpen: false, campaign: 'spring-launch' } })],
  [4, () => ({ type: 'email.opened', properties: { machineOpen: true, campaign: 'spring-launch' } })],
  [
    12,
    () => ({
      type: 'email.clicked',
      properties: { url: 'https://acme.example/blog/scoring?utm_medium=email' },
    }),
  ],
  [
    26,
    (r) => ({
      type: 'page.visited',
      properties: { url: `https://acme.example/blog/post-${Math.floor(r() * 50)}` },
    }),
  ],
  [4, () => ({ type: 'page.visited', properties: { url: 'https://acme.example/pricing?plan=team' } })],
  [3, () => ({ type: 'form.submitted', properties: { form: 'ebook' } })],
  [0.5, () => ({ type: 'form.submitted', properties: { form: 'demo-request' } })],
  [4, () => ({ type: 'content.downloaded', properties: { asset: 'benchmark-report.pdf' } })],
  [2, () => ({ type: 'webinar.registered' })],
  [1.5, () => ({ type: 'webinar.attended' })],
  [1, () => ({ type: 'newsletter.subscribed' })],
  [1, () => ({ type: 'email.replied' })],
  [0.5, () => ({ type: 'meeting.booked' })],
  [0.5, () => ({ type: 'email.unsubscribed' })],
  [0.5, () => ({ type: 'email.bounced' })],
  [
    2,
    (r) => ({
      type: 'profile.updated',
      traits: {
        email: 'dana@acme-software.example',
        title: r() < 0.5 ? 'VP of Marketing' : 'Marketing Manager',
        industry: 'Software',
        companySize: Math.floor(r() * 3000),
        city: 'Berlin',
      },
    }),
  ],
  [6, () => ({ type: 'email.delivered', properties: { campaign: 'spring-launch' } })],
];
const TOTAL_WEIGHT = MIX.reduce((sum, [w]) => sum + w, 0);

function draftEvent(random: () => number): Draft {
  let pick = random() * TOTAL_WEIGHT;
  for (const [weight, draft] of MIX) {
    pick -= weight;
    if (pick < 0) return draft(random);
  }
  return MIX[0]![1](random);
}

function uuidLike(random: () => number): string {
  const hex = Array.from({ length: 32 }, () => Math.floor(random() * 16).toString(16)).join('');
  // join() yields a flat string, as JSON.parse does for ids arriving from Kafka; concatenation would
  // leave a rope that every comparison has to walk.
  return [hex.slice(0, 8), hex.slice(8, 12), hex.slice(12, 16), hex.slice(16, 20), hex.slice(20)].join('-');
}

/**
 * Leads with their events in (occurredAt, id) order over 90 days, ids shaped like UUIDs. Each lead's
 * events are created in the order they are folded, as a freshly parsed batch from Kafka would sit in
 * memory, so the benchmark measures the engine rather than cache misses of a shuffled heap.
 */
export function syntheticLeads(leads: number, eventsPerLead: number, seed = 42): ScoringEvent[][] {
  const random = randomSource(seed);
  const start = Date.UTC(2025, 0, 6);
  return Array.from({ length: leads }, () => {
    const times = Array.from({ length: eventsPerLead }, () => start + Math.floor(random() * 90 * DAY));
    const ids = times.map(() => uuidLike(random));
    const order = times
      .map((_, i) => i)
      .sort((a, b) => times[a]! - times[b]! || (ids[a]! < ids[b]! ? -1 : 1));
    return order.map((i): ScoringEvent => {
      const { type, properties, traits } = draftEvent(random);
      // One object shape for every event, as the mapper from the wire event produces them.
      return { id: ids[i]!, type, occurredAt: times[i]!, properties, traits };
    });
  });
}
