import { isActivityType, type LeadEvent, leadStreamId } from '@leadscore/contracts';
import { readStreams, toLeadEvent } from '@leadscore/eventstore';
import type pg from 'pg';

/**
 * The activity and profile events of many leads in one query, by lead, as the lead-events topic
 * carries them. A lead's appends are serialised and its positions have no holes, so what is read
 * is every event of the lead up to its latest committed one.
 */
export async function readLeadsEvents(
  client: pg.ClientBase,
  leadIds: readonly string[],
): Promise<Map<string, LeadEvent[]>> {
  const streams = await readStreams(client, leadIds.map(leadStreamId));
  return new Map(
    leadIds.map((leadId) => [
      leadId,
      (streams.get(leadStreamId(leadId)) ?? [])
        .filter((event) => isActivityType(event.type))
        .map((event) => toLeadEvent(event, leadId)),
    ]),
  );
}
