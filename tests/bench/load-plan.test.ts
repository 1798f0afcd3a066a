/**
 * bench:pipeline's load plan: whatever the wave size, every lead's journey goes out whole and in
 * order, one wave between its steps, and under the default (mixed) plan the stage-changing events
 * are spread evenly instead of arriving a wave at a time.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  EVENTS_PER_LEAD,
  isStageChanging,
  type LoadPlanKind,
  nthEvent,
  STAGE_CHANGING_STEP,
} from '../../bench/pipeline/load-plan.js';
import { isProbed } from '../../bench/pipeline/steady-load.js';

const START = Date.UTC(2026, 0, 5);

function sequence(count: number, waveSize: number, kind: LoadPlanKind) {
  return Array.from({ length: count }, (_, n) => nthEvent(n, waveSize, 'run', START, kind));
}

/** Each lead's events by step, with the index at which each was sent. */
function journeys(events: ReturnType<typeof sequence>) {
  const byLead = new Map<string, { step: number; n: number; occurredAt: string }[]>();
  events.forEach((event, n) => {
    const step = Number(event.id!.slice(event.id!.lastIndexOf('-s') + 2));
    const steps = byLead.get(event.lead.id!) ?? [];
    steps.push({ step, n, occurredAt: event.occurredAt });
    byLead.set(event.lead.id!, steps);
  });
  return byLead;
}

describe.each(['mixed', 'waves'] as const)('the %s load plan', (kind) => {
  it('sends each lead its steps once, in order, a wave apart, with rising times', () => {
    fc.assert(
      fc.property(fc.integer({ min: 5, max: 400 }), fc.integer({ min: 1, max: 12 }), (waveSize, waves) => {
        const perWave =
          kind === 'mixed' ? Math.floor(waveSize / EVENTS_PER_LEAD) * EVENTS_PER_LEAD : waveSize;
        for (const steps of journeys(sequence(perWave * waves, waveSize, kind)).values()) {
          steps.forEach(({ step, n, occurredAt }, i) => {
            expect(step).toBe(i);
            if (i === 0) return;
            // Mixed: the next step's place in the next wave is one further along.
            expect(n - steps[i - 1]!.n).toBe(kind === 'mixed' ? perWave + 1 : perWave);
            expect(occurredAt > steps[i - 1]!.occurredAt).toBe(true);
          });
        }
      }),
    );
  });
});

describe('the mixed load plan', () => {
  it('moves one lead in five to MQL in every five consecutive events once past its warm-up', () => {
    fc.assert(
      fc.property(fc.integer({ min: 5, max: 400 }), (waveSize) => {
        const perWave = Math.floor(waveSize / EVENTS_PER_LEAD) * EVENTS_PER_LEAD;
        const events = sequence(perWave * 10, waveSize, 'mixed');
        const warmUp = perWave * STAGE_CHANGING_STEP;
        for (let first = warmUp; first < events.length; first += EVENTS_PER_LEAD) {
          const group = events.slice(first, first + EVENTS_PER_LEAD);
          expect(group.filter(isStageChanging)).toHaveLength(1);
        }
      }),
    );
  });

  it('sends only profiles to leads that enter during the warm-up and goes no further with them', () => {
    const events = sequence(2_000 * 6, 2_000, 'mixed');
    const warmUpLeads = events.filter((event) => event.lead.id!.startsWith('run-warmup-'));
    expect(warmUpLeads.length).toBeGreaterThan(0);
    expect(warmUpLeads.every((event) => event.type === 'profile.updated')).toBe(true);
    for (const steps of journeys(events).values()) {
      if (steps.length === EVENTS_PER_LEAD) expect(steps.map(({ step }) => step)).toEqual([0, 1, 2, 3, 4]);
    }
  });
});

describe('the waves load plan', () => {
  it('sends a whole wave of stage-changing events every fifth wave, as the bench did before', () => {
    const events = sequence(100 * 10, 100, 'waves');
    const changingWaves = new Set(
      events.flatMap((event, n) => (isStageChanging(event) ? [Math.floor(n / 100)] : [])),
    );
    expect([...changingWaves]).toEqual([4, 9]);
    expect(events.filter(isStageChanging)).toHaveLength(200);
  });
});

describe('the score probes', () => {
  it('follow about one event in a hundred, spread over every step of the journeys', () => {
    const events = sequence(100_000, 2_000, 'mixed');
    const probed = events.filter((_, n) => isProbed(n, 100));
    expect(probed.length).toBeGreaterThan(900);
    expect(probed.length).toBeLessThan(1_100);
    const perStep = new Map<string, number>();
    for (const event of probed) perStep.set(event.type, (perStep.get(event.type) ?? 0) + 1);
    expect(perStep.size).toBe(EVENTS_PER_LEAD);
    for (const count of perStep.values()) expect(count).toBeGreaterThan(probed.length / EVENTS_PER_LEAD / 2);
  });
});
