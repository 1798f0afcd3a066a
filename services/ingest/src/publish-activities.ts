import { type ActivityEvent, activityMessageJson, eventIdOf, leadKeyOf } from '@leadscore/contracts';
import type { Bus, OutgoingMessage } from '@leadscore/kafka';

/** Header naming the API key that posted an event: provenance for whoever reads the topic. */
export const API_KEY_ID_HEADER = 'x-leadscore-api-key-id';

export interface AcceptedEvents {
  readonly ids: readonly string[];
}

/**
 * Publishes validated events to the activity topic, keyed by lead key so a lead's events stay in
 * order on one partition. Resolves only once Kafka acknowledged every message (the Bus contract):
 * the ids it returns are the ones a caller may consider accepted.
 */
export async function publishActivities(
  bus: Bus,
  topic: string,
  events: readonly ActivityEvent[],
  context: { readonly receivedAt: Date; readonly apiKeyId: string },
): Promise<AcceptedEvents> {
  // Per request, not per event: one receive time, one (read-only) headers object.
  const receivedAt = context.receivedAt.toISOString();
  const headers = { [API_KEY_ID_HEADER]: context.apiKeyId };
  const ids: string[] = new Array(events.length);
  const messages: OutgoingMessage[] = new Array(events.length);
  for (let i = 0; i < events.length; i += 1) {
    const event = events[i] as ActivityEvent;
    const id = eventIdOf(event);
    ids[i] = id;
    messages[i] = { key: leadKeyOf(event.lead), value: activityMessageJson(event, id, receivedAt), headers };
  }
  await bus.publish(topic, messages);
  return { ids };
}
