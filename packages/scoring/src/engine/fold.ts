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
  const notes: RuleNotes = {};
  let { rules, decay } = state;
  let twoWay = false;
  // Copied only when some rule listens to the event's type: most events of a busy lead match none.
  if (ruleset.rulesByEvent.has(event.type)) {
    rules = rules.slice();
    decay = decay.slice();
    twoWay = applyRules(rules, decay, event, ruleset, notes);
  }
  const next: LeadState = {
    format: 1,
    ruleset: state.ruleset,
    lastAt: event.occurredAt,
    lastId: event.id,
    // An array no rule wrote stays shared with the state before.
    decay: notes.counted === undefined ? state.decay : decay,
    rules: notes.counted === undefined && notes.dropped === undefined ? state.rules : rules,
    traits: event.traits === undefined ? state.traits : rememberTraits(state.traits, event.traits, ruleset),
    twoWayAt: state.twoWayAt ?? (twoWay ? event.occurredAt : null),
  };
  return {
    outcome: 'applied',
    state: next,
    counted: notes.counted ?? NONE,
    dropped: notes.dropped ?? NONE,
    twoWay,
    alerts: notes.alerting === undefined ? NONE : alertsFor(notes.alerting, next, event, ruleset),
  };
}

/**
 * Folds `event` into `state` by modifying it: the state must be the caller's own (its arrays not
 * shared with any other state, as emptyLeadState's are) and `event` after its last one in
 * (occurredAt, id) order, as canonicalEvents lists them. The same operations as fold, without a
 * new state, result and notes per event: what rebuilding a lead from its whole stream needs.
 */
export function foldInto(state: LeadState, event: ScoringEvent, ruleset: CompiledRuleset): void {
  const twoWay = applyRules(state.rules, state.decay, event, ruleset, undefined);
  state.lastAt = event.occurredAt;
  state.lastId = event.id;
  // Traits are replaced, never modified: fit points are memoised per traits object.
  if (event.traits !== undefined) state.traits = rememberTraits(state.traits, event.traits, ruleset);
  if (state.twoWayAt === null && twoWay) state.twoWayAt = event.occurredAt;
}

/** What a fold reports about the rules an event met, each list made when needed; foldInto asks for none. */
interface RuleNotes {
  counted?: string[];
  dropped?: string[];
  alerting?: CompiledEngagementRule[];
}

/**
 * Applies the rules that match `event` to `rules` and `decay`, arrays the caller owns and which are
 * written in place. Returns whether the event is two-way communication.
 */
function applyRules(
  rules: LeadState['rules'],
  decay: LeadState['decay'],
  event: ScoringEvent,
  ruleset: CompiledRuleset,
  notes: RuleNotes | undefined,
): boolean {
  const at = event.occurredAt;
  let twoWay = false;
  for (const rule of ruleset.rulesByEvent.get(event.type) ?? NONE) {
    if (!rule.matches(event.properties)) continue;
    twoWay ||= rule.twoWay;
    const tally = rules[rule.index] ?? null;
    if (rule.cap !== undefined && tally !== null && isOverCap(tally, rule.cap, at)) {
      rules[rule.index] = dropInto(tally);
      if (notes) notes.dropped = appended(notes.dropped, rule.id);
      continue;
    }
    rules[rule.index] = countInto(tally, rule, at);
    decay[rule.accumulator] = addPointsAt(decay[rule.accumulator] ?? null, rule.points, at, rule.halfLifeMs);
    if (notes === undefined) continue;
    notes.counted = appended(notes.counted, rule.id);
    if (rule.alertFromTemperature !== undefined) notes.alerting = appended(notes.alerting, rule);
  }
  return twoWay;
}

function appended<T>(list: T[] | undefined, item: T): T[] {
  if (list === undefined) return [item];
  list.push(item);
  return list;
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
