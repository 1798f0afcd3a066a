import { isActivityType, leadStreamId } from '@leadscore/contracts';
import { readStream } from '@leadscore/eventstore';
import type pg from 'pg';
import { type LeadActivity, leadActivityFromStore } from '../engine/lead-activity.js';

/**
 * Every recorded activity and profile event of a lead, ready for the engine. Other events of the
 * stream (stage changes) are not scored.
 */
export async function readLeadEvents(client: pg.ClientBase, leadId: string): Promise<LeadActivity[]> {
  const { events } = await readStream(client, leadStreamId(leadId));
  return events
    .filter((event) => isActivityType(event.type))
    .map((event) => leadActivityFromStore(event, leadId));
}
