import {
  type ActivityData,
  cloudEventType,
  isActivityType,
  type LeadEvent,
  leadIdFromStreamId,
  toCloudEventHeaders,
} from '@leadscore/contracts';
import type { RelayRoute } from './relay-route.js';
import type { RecordedEvent } from './types.js';

export interface LeadEventsRouteOptions {
  /** `topics(prefix).leadEvents`. */
  readonly topic: string;
  /** CloudEvents `source` of the published events. */
  readonly source?: string;
}

/**
 * Publishes activity and profile events of lead streams to leadscore.lead-events.v1: key = lead
 * id (per-lead order), value = LeadEvent JSON, CloudEvents headers with ce_id = event id, so a
 * consumer can dedupe redeliveries.
 */
export function leadEventsRoute(options: LeadEventsRouteOptions): RelayRoute {
  const source = options.source ?? '/leadscore/eventstore';
  return (event) => {
    const leadId = leadIdFromStreamId(event.streamId);
    if (leadId === undefined || !isActivityType(event.type)) return undefined;
    return {
      topic: options.topic,
      message: {
        key: leadId,
        value: JSON.stringify(toLeadEvent(event, leadId)),
        headers: toCloudEventHeaders({
          id: event.eventId,
          type: cloudEventType(event.type),
          source,
          subject: leadId,
          time: event.occurredAt.toISOString(),
        }),
      },
    };
  };
}

export function toLeadEvent(event: RecordedEvent, leadId: string): LeadEvent {
  return {
    eventId: event.eventId,
    leadId,
    type: event.type,
    occurredAt: event.occurredAt.toISOString(),
    recordedAt: event.recordedAt.toISOString(),
    globalPosition: event.globalPosition.toString(),
    streamPosition: event.streamPosition,
    // Validated by the ingest before it was stored; the store is the source of truth.
    data: event.data as ActivityData,
  };
}
