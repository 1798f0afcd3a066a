import { describe, expect, it } from 'vitest';
import { explain } from './engine/explain.js';
import { type Alert, fold } from './engine/fold.js';
import { emptyLeadState } from './engine/lead-state.js';
import { scoreAt } from './engine/score-view.js';
import type { ScoringEvent } from './event.js';
import { decide, evolve } from './stages/decide.js';
import { initialStageState, type StageChanged } from './stages/stage.schema.js';
import { DAY, HOUR, defaultCompiled as ruleset } from './test-support/rulesets.js';

const START = Date.UTC(2025, 3, 7, 9); // Monday 09:00 UTC

// Dana, VP of Marketing at a 250-person software company, as the tools would report her.
const journey: ScoringEvent[] = [
  { id: 'open-1', type: 'email.opened', occurredAt: START, properties: { machineOpen: false } },
  { id: 'open-1-scanner', type: 'email.opened', occurredAt: START + 1, properties: { machineOpen: true } },
  { id: 'click-1', type: 'email.clicked', occurredAt: START + 5 * 60_000 },
  {
    id: 'blog',
    type: 'page.visited',
    occurredAt: START + 2 * DAY,
    properties: { url: 'https://acme.example/blog/scoring' },
  },
  {
    id: 'pricing-1',
    type: 'page.visited',
    occurredAt: START + 5 * DAY,
    properties: { url: 'https://acme.example/pricing' },
  },
  {
    id: 'pricing-2',
    type: 'page.visited',
    occurredAt: START + 9 * DAY,
    properties: { url: 'https://acme.example/pricing?plan=team' },
  },
  {
    id: 'demo-form',
    type: 'form.submitted',
    occurredAt: START + 12 * DAY,
    properties: { form: 'demo-request' },
    traits: {
      email: 'dana@acme-software.example',
      title: 'VP of Marketing',
      industry: 'Software',
      companySize: '250',
    },
  },
  { id: 'webinar', type: 'webinar.attended', occurredAt: START + 16 * DAY + 2 * HOUR },
  { id: 'reply', type: 'email.replied', occurredAt: START + 20 * DAY },
];

/** What the scoring service and the projector do together, event by event. */
function runJourney(events: readonly ScoringEvent[]) {
  let lead = emptyLeadState(ruleset);
  let stage = initialStageState;
  const alerts: Alert[] = [];
  const changes: StageChanged[] = [];
  for (const event of events) {
    const result = fold(lead, event, ruleset);
    if (result.outcome !== 'applied') throw new Error(`${event.id} was ${result.outcome}`);
    lead = result.state;
    alerts.push(...result.alerts);
    const view = scoreAt(lead, event.occurredAt, ruleset);
    const signal = { kind: 'event', at: event.occurredAt, eventId: event.id } as const;
    for (const change of decide(stage, view, signal, ruleset.stages)) {
      changes.push(change);
      stage = evolve(stage, change);
    }
  }
  return { lead, stage, alerts, changes };
}

describe('seed journey: a VP of Marketing from first open to prospect', () => {
  const { lead, stage, alerts, changes } = runJourney(journey);

  it('becomes mql on the demo request, sql after the webinar, prospect on the reply', () => {
    expect(changes.map((c) => [c.from, c.to, c.reason, c.eventId])).toEqual([
      ['lead', 'mql', 'threshold', 'demo-form'],
      ['mql', 'sql', 'threshold', 'webinar'],
      ['sql', 'prospect', 'two-way-signal', 'reply'],
    ]);
    expect(stage).toEqual({ stage: 'prospect', since: START + 20 * DAY });
  });

  it('alerts sales on the pricing revisit, once she is warm, and not on the first visit', () => {
    expect(alerts).toEqual([
      expect.objectContaining({ ruleId: 'pivotal-page-visited', eventId: 'pricing-2', temperature: 'warm' }),
    ]);
  });

  it('grades her A and explains a hot total from her own activity', () => {
    const view = scoreAt(lead, START + 20 * DAY, ruleset);
    expect(view).toMatchObject({ grade: 'A', fit: 35, temperature: 'hot', twoWay: true });
    expect(view.total).toBeGreaterThanOrEqual(ruleset.stages.sql.minTotal);
    const machineOpens = explain(lead, START + 20 * DAY, ruleset).engagement.rules.find(
      (rule) => rule.ruleId === 'email-opened-by-machine',
    );
    expect(machineOpens).toMatchObject({ counted: 1, rawPoints: 0, decayedPoints: 0 });
  });
});
