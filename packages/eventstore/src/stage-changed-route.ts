import {
  leadIdFromStreamId,
  stageChangedCloudEventType,
  stageChangedMessageSchema,
  toCloudEventHeaders,
} from '@leadscore/contracts';
import type { RelayRoute } from './relay-route.js';

/** The event type the projector appends to a lead's stream when the lead changes stage. */
export const leadStageChangedEventType = 'LeadStageChanged';

export interface StageChangedRouteOptions {
  /** `topics(prefix).stageChanged`. */
  readonly topic: string;
  /** CloudEvents `source` of the published changes. */
  readonly source?: string;
}

/**
 * Publishes LeadStageChanged events of lead streams to leadscore.stage-changed.v1 for CRMs:
 * CloudEvents 1.0 binary mode with ce_id = the stored event id (the same on every redelivery),
 * ce_subject = lead id, key = lead id, and the stored data as the JSON body. The data is checked
 * against the contract first: a malformed body would reach every CRM, so it stops the relay
 * (loudly, at this event) instead.
 */
export function stageChangedRoute(options: StageChangedRouteOptions): RelayRoute {
  const source = options.source ?? '/leadscore/projector';
  return (event) => {
    const leadId = leadIdFromStreamId(event.streamId);
    if (leadId === undefined || event.type !== leadStageChangedEventType) return undefined;
    const body = stageChangedMessageSchema.parse(event.data);
    return {
      topic: options.topic,
      message: {
        key: leadId,
        value: JSON.stringify(body),
        headers: toCloudEventHeaders({
          id: event.eventId,
          type: stageChangedCloudEventType,
          source,
          subject: leadId,
          time: body.occurredAt,
        }),
      },
    };
  };
}
