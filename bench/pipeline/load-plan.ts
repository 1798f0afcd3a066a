import type { ActivityEventInput } from '../../packages/contracts/src/index.js';

/**
 * Each lead's five events, in order: a profile (fit 35, grade A), an open, a click, a blog visit,
 * then a demo request (+40) that carries the lead across the MQL threshold. One event in five
 * therefore produces a stage change, and every event a score change.
 */
const STEPS: readonly ((lead: ActivityEventInput['lead'], occurredAt: string) => ActivityEventInput)[] = [
  (lead, occurredAt) => ({
    type: 'profile.updated',
    lead,
    occurredAt,
    traits: { title: 'VP Marketing', industry: 'software', companySize: 250 },
  }),
  (lead, occurredAt) => ({ type: 'email.opened', lead, occurredAt, properties: { campaign: 'bench' } }),
  (lead, occurredAt) => ({ type: 'email.clicked', lead, occurredAt, properties: { url: '/blog/bench' } }),
  (lead, occurredAt) => ({ type: 'page.visited', lead, occurredAt, properties: { url: '/blog/bench' } }),
  (lead, occurredAt) => ({ type: 'form.submitted', lead, occurredAt, properties: { form: 'demo-request' } }),
];

export const EVENTS_PER_LEAD = STEPS.length;
/** The step whose event moves a lead to MQL. */
export const STAGE_CHANGING_STEP = STEPS.length - 1;

/**
 * The n-th event of a run: leads advance in waves of `leadsPerWave`, one step per wave, so a
 * lead's events go out in order, in different requests, and always occur after its previous one.
 */
export function nthEvent(n: number, leadsPerWave: number, tag: string, start: number): ActivityEventInput {
  const wave = Math.floor(n / leadsPerWave);
  const step = wave % EVENTS_PER_LEAD;
  const lead = Math.floor(wave / EVENTS_PER_LEAD) * leadsPerWave + (n % leadsPerWave);
  const make = STEPS[step]!;
  return {
    ...make({ id: `${tag}-${lead}` }, new Date(start + n).toISOString()),
    id: `${tag}-${lead}-s${step}`,
  };
}

export function isStageChanging(event: ActivityEventInput): boolean {
  return event.id?.endsWith(`-s${STAGE_CHANGING_STEP}`) ?? false;
}
