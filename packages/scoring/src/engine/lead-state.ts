import { z } from 'zod';
import { LeadStateInvalidError, toIssues } from '../errors.js';

const Count = z.number().int().min(0);
const EpochMs = z.number().int();

/**
 * A decaying sum kept relative to a reference time: it is worth `value * 2^-((t - ref) / halfLife)`
 * at any t >= ref. Rebasing only ever multiplies by a factor <= 1, so it never overflows however far
 * apart the events are.
 */
export const AccumulatorSchema = z.tuple([z.number(), EpochMs]);
export type Accumulator = z.infer<typeof AccumulatorSchema>;

/** [counted, dropped by the cap, decaying points of the counted events, their reference time]. */
export const RuleTallySchema = z.tuple([Count, Count, z.number(), EpochMs]);
export type RuleTally = z.infer<typeof RuleTallySchema>;

/** [calendar window index, events counted in that window]; only the current window matters. */
export const WindowCounterSchema = z.tuple([z.number().int(), Count]);
export type WindowCounter = z.infer<typeof WindowCounterSchema>;

export const TraitValueSchema = z.union([z.string(), z.number(), z.boolean(), z.null()]);
export type TraitValue = z.infer<typeof TraitValueSchema>;

/**
 * Everything the engine remembers about one lead, sized by the ruleset and never by the number of
 * events. Plain JSON, so it can be stored as jsonb and read back with parseLeadState.
 */
export const LeadStateSchema = z.strictObject({
  format: z.literal(1),
  /** `${ruleset.id}@${ruleset.version}`: a state is only meaningful under the ruleset that built it. */
  ruleset: z.string().min(1),
  /** The greatest (occurredAt, id) folded so far; anything not after it is duplicate or late. */
  last: z.strictObject({ at: EpochMs, id: z.string() }).nullable(),
  /** One accumulator per distinct half-life, keyed by the half-life in days: the engagement score. */
  decay: z.record(z.string(), AccumulatorSchema),
  /** Per engagement rule that has seen an event: what explain() reports. */
  rules: z.record(z.string(), RuleTallySchema),
  /** Per capped rule: the counter of its current window. */
  windows: z.record(z.string(), WindowCounterSchema),
  /** Latest value of every trait a fit rule reads, keyed by its path. */
  traits: z.record(z.string(), TraitValueSchema),
  /** When the first two-way communication (reply, meeting) happened, if any. */
  twoWayAt: EpochMs.nullable(),
});
export type LeadState = z.infer<typeof LeadStateSchema>;

export function emptyLeadState(rulesetKey: string): LeadState {
  return {
    format: 1,
    ruleset: rulesetKey,
    last: null,
    decay: {},
    rules: {},
    windows: {},
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
