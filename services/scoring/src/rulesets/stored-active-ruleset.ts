import type { StoredRulesets } from '@leadscore/rulesets';
import type { ActiveRuleset } from '../engine/active-ruleset.js';

/**
 * The published ruleset version, read from the catalog in the event store inside each batch's
 * transaction, under the switch lock (both sent with the transaction's BEGIN). Once a publication
 * commits, every later batch scores with the new version and recomputes each lead it touches that
 * is still under an older one.
 */
export function storedActiveRuleset(rulesets: StoredRulesets): ActiveRuleset {
  return {
    opening: rulesets.activeOpening,
    current: (tx, opened) => rulesets.activeOpened(tx, opened),
  };
}
