import { RulesetNotFoundError } from '../errors.js';
import type { RulesetCatalog } from '../ruleset-catalog.js';

/**
 * How long score changes naming a ruleset version the store does not hold are delivered again
 * before they are skipped. The scoring service only scores under versions already published in
 * the same database, so such a version does not appear later: the message was hand-made, written
 * by another deployment sharing the topic prefix, or outlived its database (a restore). Retrying
 * forever held every other lead of the partition (a sixth of them) and showed nothing; a minute
 * of redeliveries (counted in leadscore_projector_batch_failures_total) rides out anything
 * transient we did not foresee, then the partition moves on.
 */
export const UNKNOWN_RULESET_PATIENCE_MS = 60_000;

/**
 * Versions remembered at most: a producer writing versions at random must not grow the memory
 * of a long-running projector. The oldest is forgotten first (it is long past its patience).
 */
const MAX_REMEMBERED_VERSIONS = 1_000;

export interface RulesetReference {
  readonly rulesetId: string;
  readonly rulesetVersion: number;
}

export const rulesetKey = (reference: RulesetReference): string =>
  `${reference.rulesetId}@${reference.rulesetVersion}`;

export interface UnknownRulesetPatienceOptions {
  readonly rulesets: RulesetCatalog;
  readonly patienceMs?: number;
  /** A monotonic clock in ms: not the projector's business clock, which tests set to fixed dates. */
  readonly clock?: () => number;
}

/**
 * Decides, for the rulesets a batch names, which ones to give up on. `rulesetsToSkip` resolves
 * with the keys (`rulesetKey`) of those unknown for longer than the patience, and rejects with the
 * RulesetNotFoundError of one still within it, so the batch fails and is delivered again. Each
 * version is looked up every time, so one that turns up is decided on at once.
 */
export function createUnknownRulesetPatience(options: UnknownRulesetPatienceOptions) {
  const patienceMs = options.patienceMs ?? UNKNOWN_RULESET_PATIENCE_MS;
  const clock = options.clock ?? (() => performance.now());
  const unknownSince = new Map<string, number>();

  function firstMissed(key: string): number {
    const since = unknownSince.get(key);
    if (since !== undefined) return since;
    if (unknownSince.size >= MAX_REMEMBERED_VERSIONS) {
      const oldest = unknownSince.keys().next().value;
      if (oldest !== undefined) unknownSince.delete(oldest);
    }
    const now = clock();
    unknownSince.set(key, now);
    return now;
  }

  return {
    /** How long the version has been unknown, in ms; 0 when it is known or was never asked for. */
    unknownForMs(reference: RulesetReference): number {
      const since = unknownSince.get(rulesetKey(reference));
      return since === undefined ? 0 : clock() - since;
    },

    async rulesetsToSkip(references: Iterable<RulesetReference>): Promise<ReadonlySet<string>> {
      const distinct = new Map<string, RulesetReference>();
      for (const reference of references) distinct.set(rulesetKey(reference), reference);
      const skip = new Set<string>();
      for (const [key, { rulesetId, rulesetVersion }] of distinct) {
        try {
          await options.rulesets.get(rulesetId, rulesetVersion);
          unknownSince.delete(key);
        } catch (error) {
          if (!(error instanceof RulesetNotFoundError)) throw error;
          if (clock() - firstMissed(key) < patienceMs) throw error;
          skip.add(key);
        }
      }
      return skip;
    },
  };
}

export type UnknownRulesetPatience = ReturnType<typeof createUnknownRulesetPatience>;
