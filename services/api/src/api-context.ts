import type { Queryable } from '@leadscore/eventstore';
import type { CompiledRuleset } from '@leadscore/scoring';

/** What the routes work with; built once per app so tests can pass their own clock and ruleset. */
export interface ApiContext {
  readonly db: Queryable;
  /**
   * The ruleset scores are decayed, time-travelled and explained with: the active published
   * version, looked up per request so a publication shows at once.
   */
  readonly ruleset: () => Promise<CompiledRuleset>;
  /**
   * The same ruleset, for a read that selected the catalog version with its rows (LeadRow's
   * ruleset_catalog_version): no round trip of its own while the cached catalog is that version.
   */
  readonly rulesetAsOf: (catalogVersion: number) => Promise<CompiledRuleset>;
  /** Epoch ms; the instant "now" means for scores that decay. */
  readonly now: () => number;
}
