import type { Queryable } from '@leadscore/eventstore';
import { type CompiledRuleset, compileRuleset } from '@leadscore/scoring';
import type pg from 'pg';
import { holdActiveRulesetShared } from './active-ruleset-lock.js';
import { NoActiveRulesetError, RulesetVersionNotFoundError } from './errors.js';
import type { RulesetCatalogState } from './ruleset-catalog.js';
import { readCatalog, readCatalogVersion } from './ruleset-store.js';

/**
 * The catalog as services use it: cached, refreshed only when its stream moved (one index probe
 * per look), versions compiled once (they are immutable).
 */
export interface StoredRulesets {
  /**
   * The active version, read in the caller's transaction under the shared switch lock: scores the
   * transaction writes with it cannot outlive a publication (see active-ruleset-lock.ts).
   */
  activeIn(client: pg.ClientBase): Promise<CompiledRuleset>;
  /** The active version as of this call, for readers that write nothing with it (no lock). */
  active(db: Queryable): Promise<CompiledRuleset>;
  /** A version by number (drafts included: simulation scores with them). */
  version(db: Queryable, version: number): Promise<CompiledRuleset>;
  /** The catalog, current as of this call. */
  catalog(db: Queryable): Promise<RulesetCatalogState>;
}

export function storedRulesets(): StoredRulesets {
  let cached: RulesetCatalogState | undefined;
  const compiled = new Map<number, CompiledRuleset>();

  async function catalog(db: Queryable): Promise<RulesetCatalogState> {
    const streamVersion = await readCatalogVersion(db);
    if (cached === undefined || cached.streamVersion !== streamVersion) cached = await readCatalog(db);
    return cached;
  }

  function compiledVersion(state: RulesetCatalogState, version: number): CompiledRuleset {
    let ruleset = compiled.get(version);
    if (ruleset === undefined) {
      const entry = state.versions.get(version);
      if (entry === undefined) throw new RulesetVersionNotFoundError(version);
      ruleset = compileRuleset(entry.ruleset);
      compiled.set(version, ruleset);
    }
    return ruleset;
  }

  async function active(db: Queryable): Promise<CompiledRuleset> {
    const state = await catalog(db);
    if (state.activeVersion === undefined) throw new NoActiveRulesetError();
    return compiledVersion(state, state.activeVersion);
  }

  return {
    catalog,
    active,
    async activeIn(client) {
      await holdActiveRulesetShared(client);
      return active(client);
    },
    async version(db, version) {
      const known = compiled.get(version);
      if (known !== undefined) return known;
      return compiledVersion(await catalog(db), version);
    },
  };
}
