import { hash } from 'node:crypto';
import type { ActivityEvent } from './activity-event.js';
import { isCanonicalInstant } from './activity-field-checks.js';
import { canonicalJson, type JsonValue } from './canonical-json.js';
import { leadKeyOf } from './lead-key.js';

export const derivedEventIdPrefix = 'evt_';

/**
 * The ids of the projector's LeadStageChanged events, which share each lead's stream with its
 * activity: a webhook event may not take one (see parseWebhookBody).
 */
export const stageChangeIdPrefix = 'stg_';

/**
 * The id of an event posted without one: `evt_` + the first 128 bits (32 hex digits) of SHA-256
 * over a canonical JSON of what makes the event this event: type, lead key, occurredAt instant,
 * source, properties and traits. A resend of the same event gets the same id (so it is stored
 * once); any change to those fields gives another id.
 *
 * Traits are part of it although they are profile data: a `profile.updated` event carries only
 * traits, so two different updates at the same instant must not share an id. An absent `source`,
 * `properties` or `traits` counts as empty, and key order never matters.
 * Expects a parsed event, so the email is normalised and occurredAt is in UTC.
 */
export function deterministicEventId(event: Omit<ActivityEvent, 'id'>): string {
  const digest = hash('sha256', identityJson(event), 'hex');
  return `${derivedEventIdPrefix}${digest.slice(0, 32)}`;
}

/**
 * `canonicalJson` of `{ v: 1, type, lead, occurredAt, source, properties, traits }`, written out
 * with the top-level keys already in canonical order (it runs for every event posted without an
 * id). event-id.test.ts checks it against canonicalJson of that object.
 */
export function identityJson(event: Omit<ActivityEvent, 'id'>): string {
  return (
    `{"lead":${JSON.stringify(leadKeyOf(event.lead))}` +
    `,"occurredAt":${JSON.stringify(utcInstant(event.occurredAt))}` +
    `,"properties":${canonicalOrEmpty(event.properties)}` +
    `,"source":${canonicalOrEmpty(event.source)}` +
    `,"traits":${canonicalOrEmpty(event.traits)}` +
    `,"type":${JSON.stringify(event.type)},"v":1}`
  );
}

/** A parsed event's instant is already in this form: the Date round trip is only a fallback. */
function utcInstant(instant: string): string {
  return isCanonicalInstant(instant) ? instant : new Date(instant).toISOString();
}

/** `canonicalJson(value ?? {})`, without the work for the absent fields most events have. */
function canonicalOrEmpty(value: object | undefined): string {
  return value === undefined ? '{}' : canonicalJson(value as JsonValue);
}

/** The caller's id when given, the deterministic id otherwise. */
export function eventIdOf(event: ActivityEvent): string {
  return event.id ?? deterministicEventId(event);
}
