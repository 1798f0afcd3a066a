import { type ActivityEvent, leadKeyOf, toActivityMessage } from '@leadscore/contracts';
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
  const ids: string[] = [];
  const messages: OutgoingMessage[] = events.map((event) => {
    const message = toActivityMessage(event, context.receivedAt);
    ids.push(message.id);
    return {
      key: leadKeyOf(message.lead),
      value: JSON.stringify(message),
      headers: { [API_KEY_ID_HEADER]: context.apiKeyId },
    };
  });
  await bus.publish(topic, messages);
  return { ids };
}
