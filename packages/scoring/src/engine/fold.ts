import type { ScoringEvent } from '../event.js';
import { type Fields, readPath } from '../ruleset/compile-condition.js';
import type { CompiledEngagementRule, CompiledRuleset } from '../ruleset/compile-ruleset.js';
import { addPointsAt, valueAt } from './decay.js';
import type { LeadState, RuleTally, TraitValue } from './lead-state.js';
import { assertSameRuleset, temperatureIndexOf, viewOf } from './score-view.js';

/** A counted event of a rule with an alert flag, while the lead was at least that warm. */
export type Alert = { ruleId: string; eventId: string; at: number; temperature: string; total: number };

export type FoldResult =
  | {
      outcome: 'applied';
      state: LeadState;
      /** Rules whose points the event earned, and rules that matched but were over their cap. */
      counted: string[];
      dropped: string[];
      /** The event is two-way communication (reply, meeting). */
      twoWay: boolean;
      alerts: Alert[];
    }
  /** Same id as the last folded event: nothing changes. */
  | { outcome: 'duplicate'; state: LeadState }
  /**
   * Not after the last folded event in (occurredAt, id) order: nothing changes, and the caller must
   * recompute the lead from its stream (scoreEvents / foldEvents) to include it.
   */
  | { outcome: 'late'; state: LeadState };

const NO_RULES: readonly CompiledEngagementRule[] = [];

/**
 * Folds one event into a lead's state, returning a new state (the given one is not modified).
 *
 * Guarantee: folding a lead's events one by one in (occurredAt, id) order performs exactly the
 * operations foldEvents performs, so the result equals the canonical one. fold detects a resend of
 * the last event and any event that is not after it; it does not remember older ids, so it relies on
 * the event store to never deliver one id twice with different times.
 */
export function fold(state: LeadState, event: ScoringEvent, ruleset: CompiledRuleset): FoldResult {
  assertSameRuleset(state, ruleset);
  const { last } = state;
  if (last !== null) {
    if (event.id === last.id) return { outcome: 'duplicate', state };
    if (event.occurredAt < last.at || (event.occurredAt === last.at && event.id < last.id)) {
      return { outcome: 'late', state };
    }
  }
  const at = event.occurredAt;
  const counted: string[] = [];
  const dropped: string[] = [];
  let twoWay = false;
  let rules = state.rules;
  let windows = state.windows;
  let decay = state.decay;
  let alerting: CompiledEngagementRule[] | undefined;

  for (const rule of ruleset.rulesByEvent.get(event.type) ?? NO_RULES) {
    if (!rule.matches(event.properties)) continue;
    twoWay ||= rule.twoWay;
    if (rules === state.rules) rules = { ...rules };
    const tally = rules[rule.id];
    if (rule.cap) {
      const window = rule.cap.windowOf(at);
      const counter = windows[rule.id];
      const countInWindow = counter !== undefined && counter[0] === window ? counter[1] : 0;
      if (countInWindow >= rule.cap.count) {
        // A rule only reaches its cap after counting, so a tally exists here.
        const [c, d, value, ref] = tally!;
        rules[rule.id] = [c, d + 1, value, ref];
        dropped.push(rule.id);
        continue;
      }
      if (windows === state.windows) windows = { ...windows };
      windows[rule.id] = [window, countInWindow + 1];
    }
    rules[rule.id] = countInto(tally, rule, at);
    if (decay === state.decay) decay = { ...decay };
    decay[rule.accumulator] = addPointsAt(decay[rule.accumulator], rule.points, at, rule.halfLifeMs);
    counted.push(rule.id);
    if (rule.alertFromTemperature !== undefined) {
      alerting ??= [];
      alerting.push(rule);
    }
  }

  const next: LeadState = {
    format: 1,
    ruleset: state.ruleset,
    last: { at, id: event.id },
    decay,
    rules,
    windows,
    traits: event.traits === undefined ? state.traits : rememberTraits(state.traits, event.traits, ruleset),
    twoWayAt: state.twoWayAt ?? (twoWay ? at : null),
  };
  const alerts = alerting ? alertsFor(alerting, next, event, ruleset) : [];
  return { outcome: 'applied', state: next, counted, dropped, twoWay, alerts };
}

function countInto(tally: RuleTally | undefined, rule: CompiledEngagementRule, at: number): RuleTally {
  if (tally === undefined) return [1, 0, rule.points, at];
  const [c, d, value, ref] = tally;
  return [c + 1, d, valueAt([value, ref], at, rule.halfLifeMs) + rule.points, at];
}

function isTraitValue(value: unknown): value is TraitValue {
  return (
    value === null || typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean'
  );
}

// Only traits some fit rule reads are kept, so an event full of profile data does not bloat the state.
function rememberTraits(
  traits: LeadState['traits'],
  incoming: Fields,
  ruleset: CompiledRuleset,
): LeadState['traits'] {
  let next = traits;
  for (const { path, segments } of ruleset.traitPaths) {
    const value = readPath(incoming, segments);
    if (!isTraitValue(value) || next[path] === value) continue;
    if (next === traits) next = { ...traits };
    next[path] = value;
  }
  return next;
}

// The temperature includes the event itself: a visit that makes a lead warm is already a warm visit.
function alertsFor(
  rules: readonly CompiledEngagementRule[],
  state: LeadState,
  event: ScoringEvent,
  ruleset: CompiledRuleset,
): Alert[] {
  const view = viewOf(state, event.occurredAt, ruleset);
  const temperature = temperatureIndexOf(view.total, ruleset);
  return rules
    .filter((rule) => temperature >= rule.alertFromTemperature!)
    .map((rule) => ({
      ruleId: rule.id,
      eventId: event.id,
      at: event.occurredAt,
      temperature: view.temperature,
      total: view.total,
    }));
}
