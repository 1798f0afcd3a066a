import type { Queryable } from '@leadscore/eventstore';
import { type CompiledRuleset, compileRuleset } from '@leadscore/scoring';
import type pg from 'pg';
import { holdActiveRulesetSharedSql } from './active-ruleset-lock.js';
import { NoActiveRulesetError, RulesetVersionNotFoundError } from './errors.js';
import type { RulesetCatalogState } from './ruleset-catalog.js';
import { catalogVersionSql, readCatalog, readCatalogVersion } from './ruleset-store.js';

/**
 * The catalog as services use it: cached, refreshed only when its stream moved (one index probe
 * per look), versions compiled once (they are immutable).
 */
export interface StoredRulesets {
  /**
   * The statements (no parameters) a transaction that writes scores opens with: the shared switch
   * lock, then the catalog version read after it. Sent with the transaction's BEGIN
   * (atomicallyOpenedWith), they cost no round trip of their own; `activeOpened` turns their
   * results into the active version. Scores the transaction writes with it cannot outlive a
   * publication (see active-ruleset-lock.ts).
   */
  readonly activeOpening: string;
  /** The active version, from the results of `activeOpening` (in order) in the caller's transaction. */
  activeOpened(client: pg.ClientBase, opened: readonly pg.QueryResult[]): Promise<CompiledRuleset>;
  /** The active version as of this call, for readers that write nothing with it (no lock). */
  active(db: Queryable): Promise<CompiledRuleset>;
  /**
   * The active version as of a catalog stream version the caller already read (catalogVersionSql,
   * selected with its own rows): no query while the cached catalog is that version, one catalog
   * read when it moved. Saves `active`'s version probe, a round trip per read request.
   */
  activeAsOf(db: Queryable, catalogVersion: number): Promise<CompiledRuleset>;
  /** A version by number (drafts included: simulation scores with them). */
  version(db: Queryable, version: number): Promise<CompiledRuleset>;
  /** The catalog, current as of this call. */
  catalog(db: Queryable): Promise<RulesetCatalogState>;
}

export function storedRulesets(): StoredRulesets {
  let cached: RulesetCatalogState | undefined;
  const compiled = new Map<number, CompiledRuleset>();

  async function catalogAsOf(db: Queryable, streamVersion: number): Promise<RulesetCatalogState> {
    if (cached === undefined || cached.streamVersion !== streamVersion) cached = await readCatalog(db);
    return cached;
  }

  async function catalog(db: Queryable): Promise<RulesetCatalogState> {
    return catalogAsOf(db, await readCatalogVersion(db));
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

  function activeOf(state: RulesetCatalogState): CompiledRuleset {
    if (state.activeVersion === undefined) throw new NoActiveRulesetError();
    return compiledVersion(state, state.activeVersion);
  }

  async function active(db: Queryable): Promise<CompiledRuleset> {
    return activeOf(await catalog(db));
  }

  return {
    catalog,
    active,
    async activeAsOf(db, catalogVersion) {
      return activeOf(await catalogAsOf(db, catalogVersion));
    },
    activeOpening: `${holdActiveRulesetSharedSql}; SELECT ${catalogVersionSql} AS version`,
    async activeOpened(client, opened) {
      // bigint: the driver hands it over as a decimal string.
      const version = opened[1]?.rows[0]?.version;
      if (version === undefined) throw new Error('activeOpened needs the results of activeOpening');
      return activeOf(await catalogAsOf(client, Number(version)));
    },
    async version(db, version) {
      const known = compiled.get(version);
      if (known !== undefined) return known;
      return compiledVersion(await catalog(db), version);
    },
  };
}
