import type { ScoringEvent } from '../event.js';
import { type Fields, readPath } from '../ruleset/compile-condition.js';
import type { CompiledEngagementRule, CompiledRuleset } from '../ruleset/compile-ruleset.js';
import { addPointsAt, decayed } from './decay.js';
import type { LeadState, RuleTally, TraitValue } from './lead-state.js';
import { assertSameRuleset, temperatureIndexOf, viewOf } from './score-view.js';

/** A counted event of a rule with an alert flag, while the lead was at least that warm. */
export type Alert = { ruleId: string; eventId: string; at: number; temperature: string; total: number };

export type FoldResult =
  | {
      outcome: 'applied';
      state: LeadState;
      /** Rules whose points the event earned, and rules that matched but were over their cap. */
      counted: readonly string[];
      dropped: readonly string[];
      /** The event is two-way communication (reply, meeting). */
      twoWay: boolean;
      alerts: readonly Alert[];
    }
  /** Same id as the last folded event: nothing changes. */
  | { outcome: 'duplicate'; state: LeadState }
  /**
   * Not after the last folded event in (occurredAt, id) order: nothing changes, and the caller must
   * recompute the lead from its stream (foldEvents) to include it.
   */
  | { outcome: 'late'; state: LeadState };

const NONE: readonly never[] = Object.freeze([]);

/**
 * Folds one event into a lead's state, returning a new state (the given one is not modified).
 *
 * Guarantee: folding a lead's events one by one in (occurredAt, id) order performs exactly the
 * operations foldEvents performs, so the result equals the canonical one. fold recognises a resend of
 * the last event and any event that is not after it; it does not remember older ids, so it relies on
 * the event store never to deliver one id twice with different times.
 */
export function fold(state: LeadState, event: ScoringEvent, ruleset: CompiledRuleset): FoldResult {
  assertSameRuleset(state, ruleset);
  if (state.lastAt !== null && state.lastId !== null) {
    if (event.id === state.lastId) return { outcome: 'duplicate', state };
    if (event.occurredAt < state.lastAt || (event.occurredAt === state.lastAt && event.id < state.lastId)) {
      return { outcome: 'late', state };
    }
  }
  const at = event.occurredAt;
  let counted: string[] | undefined;
  let dropped: string[] | undefined;
  let alerting: CompiledEngagementRule[] | undefined;
  let twoWay = false;
  let rules = state.rules;
  let decay = state.decay;

  for (const rule of ruleset.rulesByEvent.get(event.type) ?? NONE) {
    if (!rule.matches(event.properties)) continue;
    twoWay ||= rule.twoWay;
    if (rules === state.rules) rules = rules.slice();
    const tally = rules[rule.index] ?? null;
    if (rule.cap !== undefined && tally !== null && isOverCap(tally, rule.cap, at)) {
      rules[rule.index] = dropInto(tally);
      dropped ??= [];
      dropped.push(rule.id);
      continue;
    }
    rules[rule.index] = countInto(tally, rule, at);
    if (decay === state.decay) decay = decay.slice();
    decay[rule.accumulator] = addPointsAt(decay[rule.accumulator] ?? null, rule.points, at, rule.halfLifeMs);
    counted ??= [];
    counted.push(rule.id);
    if (rule.alertFromTemperature !== undefined) {
      alerting ??= [];
      alerting.push(rule);
    }
  }

  const next: LeadState = {
    format: 1,
    ruleset: state.ruleset,
    lastAt: at,
    lastId: event.id,
    decay,
    rules,
    traits: event.traits === undefined ? state.traits : rememberTraits(state.traits, event.traits, ruleset),
    twoWayAt: state.twoWayAt ?? (twoWay ? at : null),
  };
  return {
    outcome: 'applied',
    state: next,
    counted: counted ?? NONE,
    dropped: dropped ?? NONE,
    twoWay,
    alerts: alerting === undefined ? NONE : alertsFor(alerting, next, event, ruleset),
  };
}

function isOverCap(tally: RuleTally, cap: NonNullable<CompiledEngagementRule['cap']>, at: number): boolean {
  return tally.length === 6 && tally[4] === cap.windowOf(at) && tally[5] >= cap.count;
}

function dropInto(tally: RuleTally): RuleTally {
  const next = tally.slice() as RuleTally;
  next[1] += 1;
  return next;
}

function countInto(tally: RuleTally | null, rule: CompiledEngagementRule, at: number): RuleTally {
  const value = tally === null ? rule.points : decayed(tally[2], tally[3], at, rule.halfLifeMs) + rule.points;
  const counted = tally === null ? 1 : tally[0] + 1;
  const dropped = tally === null ? 0 : tally[1];
  if (rule.cap === undefined) return [counted, dropped, value, at];
  const window = rule.cap.windowOf(at);
  const inWindow = tally !== null && tally.length === 6 && tally[4] === window ? tally[5] + 1 : 1;
  return [counted, dropped, value, at, window, inWindow];
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
