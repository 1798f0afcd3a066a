import { z } from 'zod';
import {
  type ActivityEvent,
  activityFields,
  checkProfileUpdate,
  eventIdSchema,
  instantSchema,
  jsonObjectSchema,
  sourceSchema,
} from './activity-event.js';
import { eventIdOf } from './event-id.js';
import { emailSchema } from './lead-key.js';

/**
 * The value of a message on `leadscore.activity.v1`, published by the webhook with key = lead key
 * (`leadKeyOf(message.lead)`). It is the accepted event with its id resolved (the caller's or the
 * deterministic one) and the time the webhook received it. Consumers read it tolerantly: unknown
 * fields are dropped, so the producer may add optional fields within v1.
 */
export const activityMessageSchema = z
  .object({ ...activityFields, id: eventIdSchema, receivedAt: instantSchema })
  .superRefine(checkProfileUpdate);

export type ActivityMessage = z.infer<typeof activityMessageSchema>;

export function toActivityMessage(event: ActivityEvent, receivedAt: Date): ActivityMessage {
  // Not `{ ...event, id, receivedAt }`: on Node 20 a spread followed by more keys takes V8's slow
  // path, 2 µs per event where Object.assign takes 0.1 (docs/BENCHMARKS.md, tenth session).
  return Object.assign({}, event, { id: eventIdOf(event), receivedAt: receivedAt.toISOString() });
}

/**
 * `JSON.stringify(toActivityMessage(event, receivedAt))` up to key order, written straight from
 * the event: the webhook publishes one per accepted event, and building the message object first
 * cost more than the serialisation. `id` is the event's resolved id (`eventIdOf`), `receivedAt`
 * an ISO instant computed once per request. activity-message.test.ts checks the equivalence.
 */
export function activityMessageJson(event: ActivityEvent, id: string, receivedAt: string): string {
  let json =
    `{"id":${JSON.stringify(id)},"type":${JSON.stringify(event.type)}` +
    `,"lead":${JSON.stringify(event.lead)},"occurredAt":${JSON.stringify(event.occurredAt)}`;
  if (event.source !== undefined) json += `,"source":${JSON.stringify(event.source)}`;
  if (event.properties !== undefined) json += `,"properties":${JSON.stringify(event.properties)}`;
  if (event.traits !== undefined) json += `,"traits":${JSON.stringify(event.traits)}`;
  return `${json},"receivedAt":${JSON.stringify(receivedAt)}}`;
}

/**
 * What the event store keeps as the data of an activity event (the lead id is the stream's, the
 * type, id and occurredAt are columns of their own) and what `leadscore.lead-events.v1` carries.
 */
export const activityDataSchema = z.object({
  email: emailSchema.optional(),
  source: sourceSchema.optional(),
  properties: jsonObjectSchema.optional(),
  traits: jsonObjectSchema.optional(),
});

export type ActivityData = z.infer<typeof activityDataSchema>;

export function toActivityData(message: ActivityMessage): ActivityData {
  const data: ActivityData = {};
  if (message.lead.email !== undefined) data.email = message.lead.email;
  if (message.source !== undefined) data.source = message.source;
  if (message.properties !== undefined) data.properties = message.properties;
  if (message.traits !== undefined) data.traits = message.traits;
  return data;
}
