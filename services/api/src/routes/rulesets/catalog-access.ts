import type { Queryable } from '@leadscore/eventstore';
import {
  ensureDefaultRuleset,
  type RulesetCatalogState,
  type RulesetVersion,
  RulesetVersionNotFoundError,
  readCatalog,
} from '@leadscore/rulesets';

/**
 * The catalog, seeded with the default ruleset on a database no scorer has started on yet (the
 * API may be the first service to run).
 */
export async function seededCatalog(db: Queryable): Promise<RulesetCatalogState> {
  const catalog = await readCatalog(db);
  if (catalog.streamVersion > 0) return catalog;
  await ensureDefaultRuleset(db);
  return readCatalog(db);
}

/** A version by the path parameter: a number, or "active". */
export function versionOf(catalog: RulesetCatalogState, parameter: string): RulesetVersion {
  const version = parameter === 'active' ? catalog.activeVersion : Number(parameter);
  const entry = version === undefined ? undefined : catalog.versions.get(version);
  if (entry === undefined) throw new RulesetVersionNotFoundError(version ?? 0);
  return entry;
}
