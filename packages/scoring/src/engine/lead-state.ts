import { z } from 'zod';
import { LeadStateInvalidError, toIssues } from '../errors.js';
import type { CompiledRuleset } from '../ruleset/compile-ruleset.js';

const Count = z.number().int().min(0);
const EpochMs = z.number().int();

/**
 * A decaying sum kept relative to a reference time: [value, ref] is worth
 * `value * 2^-((t - ref) / halfLife)` at any t >= ref. Rebasing only ever multiplies by a factor <= 1,
 * so it never overflows however far apart the events are.
 */
export const AccumulatorSchema = z.tuple([z.number(), EpochMs]);
export type Accumulator = z.infer<typeof AccumulatorSchema>;

const TallyHead = [Count, Count, z.number(), EpochMs] as const;
/**
 * [counted, dropped by the cap, decaying points of the counted events, their reference time], and for
 * a capped rule [calendar window index, events counted in that window]: only the current window matters.
 */
export const RuleTallySchema = z.union([
  z.tuple([...TallyHead]),
  z.tuple([...TallyHead, z.number().int(), Count]),
]);
export type RuleTally = z.infer<typeof RuleTallySchema>;

export const TraitValueSchema = z.union([z.string(), z.number(), z.boolean(), z.null()]);
export type TraitValue = z.infer<typeof TraitValueSchema>;

/**
 * Everything the engine remembers about one lead, sized by the ruleset and never by the number of
 * events. Plain JSON, so it can be stored as json and read back with parseLeadState.
 *
 * `decay` and `rules` are arrays in the order of the ruleset that built the state (its distinct
 * half-lives ascending, its engagement rules as listed): copying an array is what keeps a fold cheap,
 * and the `ruleset` stamp guarantees the order is the one the arrays were built with.
 */
export const LeadStateSchema = z.strictObject({
  format: z.literal(1),
  /** `${ruleset.id}@${ruleset.version}`: a state is only meaningful under the ruleset that built it. */
  ruleset: z.string().min(1),
  /** The greatest (occurredAt, id) folded so far; anything not after it is a duplicate or late. */
  lastAt: EpochMs.nullable(),
  lastId: z.string().nullable(),
  /** One accumulator per distinct half-life: together they are the engagement score. */
  decay: z.array(AccumulatorSchema.nullable()),
  /** Per engagement rule, null until it first matches: what explain() reports and caps count. */
  rules: z.array(RuleTallySchema.nullable()),
  /** Latest value of every trait a fit rule reads, keyed by its path. */
  traits: z.record(z.string(), TraitValueSchema),
  /** When the first two-way communication (reply, meeting) happened, if any. */
  twoWayAt: EpochMs.nullable(),
});
export type LeadState = z.infer<typeof LeadStateSchema>;

export function emptyLeadState(ruleset: CompiledRuleset): LeadState {
  return {
    format: 1,
    ruleset: ruleset.key,
    lastAt: null,
    lastId: null,
    decay: ruleset.halfLives.map(() => null),
    rules: ruleset.engagement.map(() => null),
    traits: {},
    twoWayAt: null,
  };
}

/**
 * Reads a state back from storage; a malformed one is refused with every problem by path. A state
 * is read for every lead of every scoring batch and rescoring job: the check that accepts it is a
 * plain walk over the JSON (about a tenth of the schema's cost, and no copy), and only a state it
 * refuses goes through LeadStateSchema, for the problems by path. Both accept exactly the same
 * values (lead-state.test.ts).
 */
export function parseLeadState(json: unknown): LeadState {
  if (isLeadState(json)) return json;
  const result = LeadStateSchema.safeParse(json);
  if (!result.success) throw new LeadStateInvalidError(toIssues(result.error, 'a lead state'));
  return result.data;
}

const STATE_KEYS = Object.keys(LeadStateSchema.shape);

/** Exactly what LeadStateSchema accepts, checked in place. */
export function isLeadState(value: unknown): value is LeadState {
  if (!isPlainObject(value)) return false;
  const keys = Object.keys(value);
  if (keys.length !== STATE_KEYS.length || !STATE_KEYS.every((key) => Object.hasOwn(value, key)))
    return false;
  return (
    value.format === 1 &&
    typeof value.ruleset === 'string' &&
    value.ruleset.length > 0 &&
    (value.lastAt === null || isInteger(value.lastAt)) &&
    (value.lastId === null || typeof value.lastId === 'string') &&
    isArrayOf(value.decay, isAccumulatorOrNull) &&
    isArrayOf(value.rules, isTallyOrNull) &&
    isPlainObject(value.traits) &&
    Object.values(value.traits).every(isTraitValue) &&
    (value.twoWayAt === null || isInteger(value.twoWayAt))
  );
}

// z.number() takes finite numbers only, and .int() safe integers only.
const isNumber = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
const isInteger = (v: unknown): v is number => Number.isSafeInteger(v);
const isCount = (v: unknown): v is number => isInteger(v) && v >= 0;

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function isArrayOf(v: unknown, item: (element: unknown) => boolean): boolean {
  if (!Array.isArray(v)) return false;
  for (const element of v) if (!item(element)) return false;
  return true;
}

function isAccumulatorOrNull(v: unknown): boolean {
  return v === null || (Array.isArray(v) && v.length === 2 && isNumber(v[0]) && isInteger(v[1]));
}

function isTallyOrNull(v: unknown): boolean {
  if (v === null) return true;
  if (!Array.isArray(v) || (v.length !== 4 && v.length !== 6)) return false;
  if (!isCount(v[0]) || !isCount(v[1]) || !isNumber(v[2]) || !isInteger(v[3])) return false;
  return v.length === 4 || (isInteger(v[4]) && isCount(v[5]));
}

function isTraitValue(v: unknown): boolean {
  return v === null || typeof v === 'string' || typeof v === 'boolean' || isNumber(v);
}
