import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ScoringEvent } from '../event.js';
import { eventsAndReadTime, mixedEvents } from '../test-support/arbitraries.js';
import { DAY, defaultCompiled, HOUR, mixedCompiled } from '../test-support/rulesets.js';
import { foldEvents } from './canonical.js';
import { nextCrossing } from './next-crossing.js';
import { scoreAt } from './score-view.js';

const T0 = Date.UTC(2025, 5, 2);
const at = (occurredAt: number, type: string, extra: Partial<ScoringEvent> = {}): ScoringEvent => ({
  id: `${type}-${occurredAt}`,
  type,
  occurredAt,
  ...extra,
});

describe('nextCrossing', () => {
  it('finds the millisecond a single decaying score falls below a threshold', () => {
    const state = foldEvents(
      [at(T0, 'form.submitted', { properties: { form: 'demo-request' } })],
      defaultCompiled,
    );
    // 40 points with a 30-day half-life are worth exactly 20 after 30 days, and less right after.
    expect(nextCrossing(state, [20], T0, defaultCompiled)).toEqual({
      at: T0 + 30 * DAY + 1,
      threshold: 20,
      direction: 'down',
    });
  });

  it('finds the moment fading negative points let the total rise to a threshold', () => {
    const events = [
      at(T0, 'profile.updated', {
        traits: { title: 'Chief Technology Officer', industry: 'SaaS', companySize: 80 },
      }), // fit 35
      at(T0, 'email.unsubscribed'), // -20: total 15
    ];
    const state = foldEvents(events, defaultCompiled);
    const crossing = nextCrossing(state, [20], T0, defaultCompiled);
    // -20·2^(-s/30d) >= -15  <=>  s >= 30d·log2(4/3)
    expect(crossing).toEqual({
      at: Math.ceil(T0 + 30 * DAY * Math.log2(4 / 3)),
      threshold: 20,
      direction: 'up',
    });
  });

  it('follows a score that dips and recovers: first down, then up', () => {
    const events = [
      at(T0, 'profile.updated', { traits: { seniority: 'senior' } }), // fit 12
      at(T0, 'burst'),
      at(T0 + 1, 'burst'),
      at(T0 + HOUR, 'burst'),
      at(T0 + HOUR + 1, 'burst'),
      at(T0 + HOUR + 2, 'slow-penalty'), // -4, fading over months
    ];
    const state = foldEvents(events, mixedCompiled);
    const down = nextCrossing(state, [10], T0 + HOUR + 2, mixedCompiled);
    expect(down).toMatchObject({ threshold: 10, direction: 'down' });
    const up = nextCrossing(state, [10], down!.at, mixedCompiled);
    expect(up).toMatchObject({ threshold: 10, direction: 'up' });
    expect(up!.at).toBeGreaterThan(down!.at + 30 * DAY);
    expect(scoreAt(state, up!.at - 1, mixedCompiled).total).toBeLessThan(10);
    expect(scoreAt(state, up!.at, mixedCompiled).total).toBeGreaterThanOrEqual(10);
  });

  it('returns the earliest of several thresholds, and null when decay can never cross any', () => {
    const state = foldEvents([at(T0, 'webinar.attended'), at(T0, 'meeting.booked')], defaultCompiled); // 40
    expect(nextCrossing(state, [10, 30, 20], T0, defaultCompiled)).toMatchObject({ threshold: 30 });
    expect(nextCrossing(state, [50, 0, -5], T0, defaultCompiled)).toBeNull(); // 0 is the floor
    expect(nextCrossing(foldEvents([], defaultCompiled), [50, 20], T0, defaultCompiled)).toBeNull();
  });

  it('is exact: on the starting side until the millisecond before, across it at that millisecond', () => {
    const thresholds = fc.array(fc.integer({ min: -60, max: 170 }), { minLength: 1, maxLength: 4 });
    const samples = fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: 5, maxLength: 5 });
    fc.assert(
      fc.property(
        eventsAndReadTime(mixedEvents()),
        thresholds,
        samples,
        ([events, now], levels, fractions) => {
          const state = foldEvents(events, mixedCompiled, now);
          const totalAt = (t: number) => scoreAt(state, t, mixedCompiled).total;
          const crossing = nextCrossing(state, levels, now, mixedCompiled);
          const sideAt = (t: number, level: number) => totalAt(t) >= level;
          if (crossing === null) {
            // No threshold changes side, however far ahead we look.
            for (const t of [
              now + DAY,
              now + 365 * DAY,
              now + 40 * 365 * DAY,
              ...fractions.map((f) => now + f * 1e12),
            ]) {
              for (const level of levels) expect(sideAt(Math.floor(t), level)).toBe(sideAt(now, level));
            }
            return;
          }
          const { at: when, threshold } = crossing;
          expect(when).toBeGreaterThan(now);
          expect(crossing.direction).toBe(sideAt(now, threshold) ? 'down' : 'up');
          expect(sideAt(when - 1, threshold)).toBe(sideAt(now, threshold));
          expect(sideAt(when, threshold)).not.toBe(sideAt(now, threshold));
          // Earliest: no threshold has changed side at any moment before.
          for (const f of fractions) {
            const t = Math.floor(now + f * (when - 1 - now));
            for (const level of levels) expect(sideAt(t, level)).toBe(sideAt(now, level));
          }
        },
      ),
    );
  });
});
