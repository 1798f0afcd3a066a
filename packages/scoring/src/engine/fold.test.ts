import { describe, expect, it } from 'vitest';
import { AsOfBeforeStateError, RulesetMismatchError } from '../errors.js';
import type { ScoringEvent } from '../event.js';
import { DAY, HOUR, mixedCompiled, defaultCompiled as rules } from '../test-support/rulesets.js';
import { explain } from './explain.js';
import { type FoldResult, fold } from './fold.js';
import { emptyLeadState, type LeadState, LeadStateSchema } from './lead-state.js';
import { scoreAt } from './score-view.js';

const T0 = Date.UTC(2025, 2, 3, 9); // a Monday, 09:00 UTC

let sequence = 0;
const event = (type: string, at: number, extra: Partial<ScoringEvent> = {}): ScoringEvent => ({
  id: `ev-${String(++sequence).padStart(4, '0')}`,
  type,
  occurredAt: at,
  ...extra,
});

function foldAll(events: ScoringEvent[], ruleset = rules): { state: LeadState; results: FoldResult[] } {
  let state = emptyLeadState(ruleset);
  const results = events.map((e) => {
    const result = fold(state, e, ruleset);
    state = result.state;
    return result;
  });
  return { state, results };
}

const reportOf = (state: LeadState, ruleId: string) =>
  explain(state, state.lastAt ?? 0, rules).engagement.rules.find((rule) => rule.ruleId === ruleId);

const applied = (result: FoldResult | undefined) => {
  if (result?.outcome !== 'applied') throw new Error(`expected applied, got ${result?.outcome}`);
  return result;
};

describe('fold', () => {
  it("adds a rule's points at the moment of the event, negative points included", () => {
    const { state } = foldAll([event('email.clicked', T0), event('email.bounced', T0)]);
    expect(scoreAt(state, T0, rules).engagement).toBe(3 - 10);
  });

  it('halves points after one half-life of the rule (opens 14 days, others 30 by default)', () => {
    const { state } = foldAll([event('email.opened', T0), event('webinar.attended', T0)]);
    expect(scoreAt(state, T0 + 14 * DAY, rules).engagement).toBeCloseTo(0.5 + 15 * 2 ** (-14 / 30), 12);
    expect(scoreAt(state, T0 + 30 * DAY, rules).engagement).toBeCloseTo(2 ** (-30 / 14) + 7.5, 12);
  });

  it('keeps one accumulator per distinct half-life, not one per event', () => {
    const events = Array.from({ length: 50 }, (_, i) =>
      event(i % 2 ? 'email.opened' : 'email.clicked', T0 + i * DAY),
    );
    const { state } = foldAll(events);
    expect(rules.halfLives).toEqual([14 * DAY, 30 * DAY]);
    expect(state.decay).toHaveLength(2);
    expect(JSON.stringify(state).length).toBeLessThan(1024);
  });

  it('counts at most 3 opens per UTC day and starts again the next day', () => {
    const opens = [0, 1, 2, 3, 4].map((i) => event('email.opened', T0 + i * HOUR));
    const nextDay = event('email.opened', Date.UTC(2025, 2, 4, 0, 0));
    const { state, results } = foldAll([...opens, nextDay]);
    expect(results.map((r) => applied(r).counted.length)).toEqual([1, 1, 1, 0, 0, 1]);
    expect(applied(results[3]).dropped).toEqual(['email-opened']);
    expect(reportOf(state, 'email-opened')).toMatchObject({ counted: 4, dropped: 2, rawPoints: 4 });
  });

  it('caps per calendar week starting on Monday (UTC)', () => {
    const sunday = Date.UTC(2025, 2, 9, 23, 59);
    const monday = Date.UTC(2025, 2, 10, 0, 0);
    const weekly = [T0, T0 + DAY, sunday, sunday + 1, monday].map((at) => event('weekly', at));
    const { results } = foldAll(weekly, mixedCompiled);
    expect(results.map((r) => applied(r).counted)).toEqual([
      ['weekly'],
      ['weekly'],
      ['weekly'],
      [],
      ['weekly'],
    ]);
  });

  it('caps per hour', () => {
    const bursts = [0, 10, 20, 60].map((minutes) => event('burst', T0 + minutes * 60_000));
    const { results } = foldAll(bursts, mixedCompiled);
    expect(results.map((r) => applied(r).counted.length)).toEqual([1, 1, 0, 1]);
  });

  it('scores machine-flagged opens 0 under the default ruleset, but still explains them', () => {
    const machine = { properties: { machineOpen: true } };
    const { state, results } = foldAll([
      event('email.opened', T0, machine),
      event('email.opened', T0 + 1, machine),
    ]);
    expect(scoreAt(state, T0 + 1, rules).engagement).toBe(0);
    expect(applied(results[0]).counted).toEqual(['email-opened-by-machine']);
    expect(reportOf(state, 'email-opened-by-machine')).toMatchObject({ counted: 2, decayedPoints: 0 });
  });

  it('lets every matching rule score: a pricing visit is a page visit and a pivotal one', () => {
    const { results } = foldAll([
      event('page.visited', T0, { properties: { url: 'https://a.example/pricing' } }),
    ]);
    expect(applied(results[0]).counted).toEqual(['page-visited', 'pivotal-page-visited']);
  });

  it('raises an alert for a pivotal visit only once the lead is at least warm, the visit included', () => {
    const pricing = { properties: { url: '/pricing' } };
    const { results } = foldAll([
      event('page.visited', T0, pricing), // 11 points: cold
      event('email.clicked', T0 + HOUR), // 14
      event('page.visited', T0 + 2 * HOUR, pricing), // 25: warm
    ]);
    expect(applied(results[0]).alerts).toEqual([]);
    expect(applied(results[2]).alerts).toEqual([
      expect.objectContaining({ ruleId: 'pivotal-page-visited', temperature: 'warm', at: T0 + 2 * HOUR }),
    ]);
  });

  it('marks two-way communication and remembers its first time', () => {
    const { state, results } = foldAll([
      event('email.clicked', T0),
      event('email.replied', T0 + DAY),
      event('meeting.booked', T0 + 2 * DAY),
    ]);
    expect(results.map((r) => applied(r).twoWay)).toEqual([false, true, true]);
    expect(state.twoWayAt).toBe(T0 + DAY);
    expect(scoreAt(state, T0 + 2 * DAY, rules).twoWay).toBe(true);
  });

  it('fit: the latest value of a trait wins; only traits a fit rule reads are kept', () => {
    const { state } = foldAll([
      event('profile.updated', T0, { traits: { title: 'VP Sales', industry: 'Software', shoeSize: 44 } }),
      event('profile.updated', T0 + 1, { traits: { title: 'Analyst', companySize: 300 } }),
    ]);
    expect(state.traits).toEqual({ title: 'Analyst', industry: 'Software', companySize: 300 });
    const view = scoreAt(state, T0 + 1, rules);
    expect(view).toMatchObject({ fit: 20, grade: 'C' });
  });

  it('fit: free-mail and student addresses lose points; the grade follows the bands', () => {
    const { state } = foldAll([
      event('profile.updated', T0, { traits: { email: 'ann@gmail.com', title: 'Founder' } }),
    ]);
    expect(scoreAt(state, T0, rules)).toMatchObject({ fit: 5, grade: 'D' });
  });

  it('clamps the total to the floor and the cap; engagement stays unclamped', () => {
    const { state } = foldAll([event('email.unsubscribed', T0), event('email.bounced', T0)]);
    expect(scoreAt(state, T0, rules)).toMatchObject({ engagement: -30, total: 0, temperature: 'cold' });
    const demoForm = { properties: { form: 'demo-request' } };
    const capped = foldAll(Array.from({ length: 6 }, () => event('form.submitted', T0, demoForm))).state;
    expect(scoreAt(capped, T0, rules)).toMatchObject({ engagement: 240, total: 200, temperature: 'hot' });
  });

  it('calls a resend of the last event a duplicate and an older event late, changing nothing', () => {
    const first = event('email.clicked', T0 + HOUR);
    const { state } = foldAll([first]);
    expect(fold(state, { ...first }, rules)).toEqual({ outcome: 'duplicate', state });
    expect(fold(state, event('email.clicked', T0), rules)).toEqual({ outcome: 'late', state });
    // Same millisecond: the id decides the order.
    expect(fold(state, { ...event('email.clicked', T0 + HOUR), id: 'ev-0000' }, rules).outcome).toBe('late');
    expect(fold(state, { ...event('email.clicked', T0 + HOUR), id: 'zz' }, rules).outcome).toBe('applied');
  });

  it('does not modify the state it was given', () => {
    const { state } = foldAll([event('email.opened', T0)]);
    const before = structuredClone(state);
    fold(state, event('email.opened', T0 + 1, { traits: { title: 'CTO' } }), rules);
    expect(state).toEqual(before);
  });

  it('produces plain JSON that reads back as the same state', () => {
    const { state } = foldAll([
      event('email.opened', T0),
      event('profile.updated', T0, { traits: { title: 'VP' } }),
    ]);
    expect(LeadStateSchema.parse(JSON.parse(JSON.stringify(state)))).toEqual(state);
  });

  it('refuses a state built with another ruleset version, and reading before the last event', () => {
    const { state } = foldAll([event('email.opened', T0)]);
    expect(() => fold(state, event('email.opened', T0 + 1), mixedCompiled)).toThrow(RulesetMismatchError);
    expect(() => scoreAt(state, T0 - 1, rules)).toThrow(AsOfBeforeStateError);
  });
});
