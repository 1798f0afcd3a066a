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

/** Reads a state back from storage; a malformed one is refused with every problem by path. */
export function parseLeadState(json: unknown): LeadState {
  const result = LeadStateSchema.safeParse(json);
  if (!result.success) throw new LeadStateInvalidError(toIssues(result.error));
  return result.data;
}
