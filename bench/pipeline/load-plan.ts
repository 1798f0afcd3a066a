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
 * How the leads' journeys are laid over the event sequence (BENCH_PLAN):
 * - `mixed` (the default): every wave holds one cohort of leads at each step, interleaved, so
 *   every fifth event of the sequence moves a lead to MQL, at any moment of the load;
 * - `waves`: all leads of a wave take the same step together, so the stage-changing events
 *   come as one burst of a whole wave every fifth wave (at 2,000 events/s, 2,000 demo requests
 *   within one second, then none for four). A worst case for the projector, kept to compare.
 * In both, a wave holds `waveSize` events (the load's rate: one wave a second) and a lead's next
 * event comes one wave after its previous one, in another request.
 */
export type LoadPlanKind = 'mixed' | 'waves';

export function loadPlanKind(value: string | undefined): LoadPlanKind {
  if (value === undefined || value === 'mixed') return 'mixed';
  if (value === 'waves') return value;
  throw new Error(`BENCH_PLAN must be mixed or waves, not ${value}`);
}

/** The n-th event of a run under `kind`; `start` is the epoch ms the events' times count from. */
export function nthEvent(
  n: number,
  waveSize: number,
  tag: string,
  start: number,
  kind: LoadPlanKind = 'mixed',
): ActivityEventInput {
  const occurredAt = new Date(start + n).toISOString();
  const { lead, step } = kind === 'mixed' ? mixedSlot(n, waveSize, tag) : waveSlot(n, waveSize, tag);
  return { ...STEPS[step]!({ id: lead }, occurredAt), id: `${lead}-s${step}` };
}

/**
 * Cohorts of waveSize / EVENTS_PER_LEAD leads; in wave w the cohort that entered in wave w - s
 * takes step s, and the five cohorts' events alternate. Before a cohort exists for a step (the
 * first four waves), its places go to leads that send their profile only.
 */
function mixedSlot(n: number, waveSize: number, tag: string): { lead: string; step: number } {
  const cohortSize = Math.max(1, Math.floor(waveSize / EVENTS_PER_LEAD));
  const perWave = cohortSize * EVENTS_PER_LEAD;
  const wave = Math.floor(n / perWave);
  const slot = n % perWave;
  const step = slot % EVENTS_PER_LEAD;
  const cohort = wave - step;
  if (cohort < 0) return { lead: `${tag}-warmup-${n}`, step: 0 };
  return { lead: `${tag}-${cohort * cohortSize + Math.floor(slot / EVENTS_PER_LEAD)}`, step };
}

function waveSlot(n: number, waveSize: number, tag: string): { lead: string; step: number } {
  const wave = Math.floor(n / waveSize);
  const lead = Math.floor(wave / EVENTS_PER_LEAD) * waveSize + (n % waveSize);
  return { lead: `${tag}-${lead}`, step: wave % EVENTS_PER_LEAD };
}

export function isStageChanging(event: ActivityEventInput): boolean {
  return event.id?.endsWith(`-s${STAGE_CHANGING_STEP}`) ?? false;
}
