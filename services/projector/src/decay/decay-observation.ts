import type { RulesetCatalog } from '../ruleset-catalog.js';
import type { Observe } from '../stages/decide-leads.js';
import { decayedLook, leadStateAt } from './score-from-stream.js';

/**
 * Looks at a lead at its scheduled crossing instant: the score decayed to exactly that instant
 * (so the change is dated when the threshold was crossed, however late the check runs), decay as
 * the signal, and the following crossing as the new schedule. A lead whose schedule moved since
 * it was claimed (a newer score change) is left to that schedule.
 */
export function decayObservation(rulesets: RulesetCatalog, now: number): Observe {
  return async (current, client) => {
    if (current === undefined || current.nextCheckAt === null || current.nextCheckAt > now) return undefined;
    const at = current.nextCheckAt;
    const ruleset = await rulesets.get(current.rulesetId, current.rulesetVersion, client);
    const state = await leadStateAt(client, current.leadId, at, current.lastPosition, ruleset);
    return {
      ruleset,
      ...decayedLook(state, at, ruleset),
      signal: { kind: 'decay', at },
      email: current.email ?? undefined,
    };
  };
}
