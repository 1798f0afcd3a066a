import { createHash } from 'node:crypto';
import type { ActivityEvent } from './activity-event.js';
import { canonicalJson, type JsonValue } from './canonical-json.js';
import { leadKeyOf } from './lead-key.js';

export const derivedEventIdPrefix = 'evt_';

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
  const identity: JsonValue = {
    v: 1,
    type: event.type,
    lead: leadKeyOf(event.lead),
    occurredAt: new Date(event.occurredAt).toISOString(),
    source: (event.source ?? {}) as JsonValue,
    properties: (event.properties ?? {}) as JsonValue,
    traits: (event.traits ?? {}) as JsonValue,
  };
  const digest = createHash('sha256').update(canonicalJson(identity), 'utf8').digest('hex');
  return `${derivedEventIdPrefix}${digest.slice(0, 32)}`;
}

/** The caller's id when given, the deterministic id otherwise. */
export function eventIdOf(event: ActivityEvent): string {
  return event.id ?? deterministicEventId(event);
}
