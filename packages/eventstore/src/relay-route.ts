import type { OutgoingMessage } from '@leadscore/kafka';
import type { RecordedEvent } from './types.js';

/** Where and how the relay publishes one recorded event. */
export interface RoutedMessage {
  readonly topic: string;
  readonly message: OutgoingMessage;
}

/**
 * Maps a recorded event to its Kafka message, or undefined when this route does not publish it.
 * Routes are pure, so each service can add its own (say, stage changes) and test it alone.
 */
export type RelayRoute = (event: RecordedEvent) => RoutedMessage | undefined;

/** Per topic, the messages of a batch in global order: the first route that accepts an event wins. */
export function routeBatch(
  events: readonly RecordedEvent[],
  routes: readonly RelayRoute[],
): { readonly byTopic: Map<string, OutgoingMessage[]>; readonly unrouted: number } {
  const byTopic = new Map<string, OutgoingMessage[]>();
  let unrouted = 0;
  for (const event of events) {
    const routed = firstRoute(event, routes);
    if (routed === undefined) {
      unrouted += 1;
      continue;
    }
    const messages = byTopic.get(routed.topic) ?? [];
    messages.push(routed.message);
    byTopic.set(routed.topic, messages);
  }
  return { byTopic, unrouted };
}

function firstRoute(event: RecordedEvent, routes: readonly RelayRoute[]): RoutedMessage | undefined {
  for (const route of routes) {
    const routed = route(event);
    if (routed !== undefined) return routed;
  }
  return undefined;
}
