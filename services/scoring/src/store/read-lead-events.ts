import { isActivityType, type LeadEvent, leadStreamId } from '@leadscore/contracts';
import { readStream, toLeadEvent } from '@leadscore/eventstore';
import type pg from 'pg';

/**
 * Every recorded activity and profile event of a lead, as the lead-events topic carries them.
 * Other events of the stream (stage changes) are not scored.
 */
export async function readLeadEvents(client: pg.ClientBase, leadId: string): Promise<LeadEvent[]> {
  const { events } = await readStream(client, leadStreamId(leadId));
  return events.filter((event) => isActivityType(event.type)).map((event) => toLeadEvent(event, leadId));
}
