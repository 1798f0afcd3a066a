import { type CompiledRuleset, foldEvents } from '@leadscore/scoring';
import type { ApiContext } from '../../api-context.js';
import { catalogVersionOf, type LeadRow } from '../../read-models/lead-row.js';
import { currentStanding, standingAt } from '../../scores/current-score.js';
import { readLeadActivity } from '../../scores/lead-events.js';
import { toLead } from './lead-representation.js';
import type { Lead } from './lead-schemas.js';

/**
 * The active ruleset as of the statement that read `row` (it selected the catalog version): from
 * the cache while the catalog has not moved, so a lead read is one round trip.
 */
export function rulesetOfRow(context: ApiContext, row: LeadRow): Promise<CompiledRuleset> {
  return context.rulesetAsOf(catalogVersionOf(row));
}

/**
 * A lead row as the API shows it, scored as of now under `ruleset` (the active one: read once per
 * request, not once per row of a list).
 */
export async function presentLead(
  context: ApiContext,
  ruleset: CompiledRuleset,
  row: LeadRow,
): Promise<Lead> {
  const now = context.now();
  const fromState = currentStanding(row.state, row.scored_at, now, ruleset);
  if (fromState) return toLead(row, fromState);
  // Scored under another version than the active one (a rescoring is on its way): the store
  // answers under the active version.
  const activity = await readLeadActivity(context.db, row.lead_id);
  const at = Math.max(now, row.scored_at.getTime());
  return toLead(row, standingAt(foldEvents(activity.events, ruleset, at), at, ruleset));
}
