import type pg from 'pg';
import type { ActivityData, JsonValue } from '../../../packages/contracts/src/index.js';
import { appendToStreams, type NewEvent } from '../../../packages/eventstore/src/index.js';
import type { ScoringEvent } from '../../../packages/scoring/src/index.js';

/** An event as appended to a lead stream by the ingest: the data is ActivityData. */
export type LeadActivity = NewEvent<ActivityData> & { readonly leadId: string };

const DAY = 86_400_000;
const START = Date.UTC(2026, 0, 5, 9);

// Every default rule gets hit: capped opens (and machine opens), visits and pivotal visits,
// forms, two-way signals and negative points.
const steps: readonly ((
  i: number,
) => Pick<LeadActivity, 'type'> & { properties?: Record<string, JsonValue> })[] = [
  () => ({ type: 'email.opened' }),
  () => ({ type: 'email.opened', properties: { machineOpen: true } }),
  () => ({ type: 'email.clicked' }),
  (i) => ({ type: 'page.visited', properties: { url: `/blog/post-${i % 7}` } }),
  () => ({ type: 'page.visited', properties: { url: '/pricing' } }),
  () => ({ type: 'form.submitted', properties: { form: 'newsletter' } }),
  () => ({ type: 'form.submitted', properties: { form: 'demo-request' } }),
  () => ({ type: 'content.downloaded' }),
  () => ({ type: 'webinar.attended' }),
  () => ({ type: 'email.replied' }),
  () => ({ type: 'email.unsubscribed' }),
  () => ({ type: 'email.bounced' }),
];

/**
 * `perLead` events for each of `leads` leads over a few weeks, in arrival order: mostly in time
 * order, but every `lateEvery`-th event of a lead is held back and arrives after later ones.
 */
export function makeJourneys(
  tag: string,
  leads: number,
  perLead: number,
  random: () => number,
  lateEvery = 0,
): LeadActivity[] {
  const arrivals: LeadActivity[][] = [];
  for (let l = 0; l < leads; l++) {
    const leadId = `${tag}-lead-${l}`;
    const email = l % 3 === 0 ? `person${l}@gmail.com` : `person${l}@acme-${l}.io`;
    let at = START + Math.floor(random() * DAY);
    const events: LeadActivity[] = [];
    for (let i = 0; i < perLead; i++) {
      at += Math.floor(random() * 2 * DAY);
      const step = steps[Math.floor(random() * steps.length)]!(i);
      const data: ActivityData = {
        email,
        ...(step.properties ? { properties: step.properties } : {}),
        ...(i === 0
          ? {
              traits: {
                title: l % 2 === 0 ? 'VP Marketing' : 'Engineer',
                industry: 'software',
                companySize: 40 + l * 30,
              },
              source: { utmSource: `source-${l % 3}`, utmCampaign: 'spring' },
            }
          : {}),
      };
      events.push({ leadId, id: `${tag}-${l}-${i}`, type: step.type, occurredAt: new Date(at), data });
    }
    arrivals.push(lateEvery > 0 ? holdBack(events, lateEvery) : events);
  }
  // Interleave leads: round robin, so batches hold several leads.
  const ordered: LeadActivity[] = [];
  for (let i = 0; i < perLead; i++) for (const events of arrivals) if (events[i]) ordered.push(events[i]!);
  return ordered;
}

// Moves every n-th event two places later: it arrives after events that occurred after it.
function holdBack(events: LeadActivity[], n: number): LeadActivity[] {
  const result = [...events];
  for (let i = n - 1; i + 2 < result.length; i += n) {
    const [held] = result.splice(i, 1);
    result.splice(i + 2, 0, held!);
  }
  return result;
}

/** Appends events in arrival order, `batchSize` per transaction, as the ingest consumer would. */
export async function appendActivities(
  pool: pg.Pool,
  activities: readonly LeadActivity[],
  batchSize = 40,
): Promise<void> {
  for (let start = 0; start < activities.length; start += batchSize) {
    const byStream = new Map<string, NewEvent[]>();
    for (const { leadId, ...event } of activities.slice(start, start + batchSize)) {
      const streamId = `lead-${leadId}`;
      byStream.set(streamId, [...(byStream.get(streamId) ?? []), event]);
    }
    await appendToStreams(
      pool,
      [...byStream].map(([streamId, events]) => ({ streamId, events })),
    );
  }
}

/** The engine's view of an appended event, mapped here independently of the service. */
export function scoringEventOf(activity: LeadActivity): ScoringEvent {
  const { email, properties, traits } = activity.data;
  return {
    id: activity.id,
    type: activity.type,
    occurredAt: activity.occurredAt.getTime(),
    ...(properties ? { properties } : {}),
    traits: { ...(email ? { email } : {}), ...traits },
  };
}

export function groupByLead(activities: readonly LeadActivity[]): Map<string, LeadActivity[]> {
  const leads = new Map<string, LeadActivity[]>();
  for (const activity of activities)
    leads.set(activity.leadId, [...(leads.get(activity.leadId) ?? []), activity]);
  return leads;
}
