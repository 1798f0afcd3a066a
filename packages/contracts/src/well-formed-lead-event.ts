import { eventIdPattern } from './activity-event.js';
import {
  hasDefinedFieldsAmong,
  hasOnlyFields,
  isCanonicalInstant,
  isJsonObject,
  isNormalisedEmail,
  isPlainObject,
  isPositionString,
  isSource,
} from './activity-field-checks.js';
import { isActivityType } from './activity-types.js';
import type { LeadEvent } from './lead-event.js';
import { leadIdPattern } from './lead-key.js';

const eventFields = new Set([
  'eventId',
  'leadId',
  'type',
  'occurredAt',
  'recordedAt',
  'globalPosition',
  'streamPosition',
  'data',
]);
const dataFields = new Set(['email', 'source', 'properties', 'traits']);

/**
 * True when `value` (fresh from JSON.parse) is a lead event exactly as the relay publishes it:
 * every field valid, already in the schema's output form, no unknown field. For such a value
 * `leadEventSchema.parse` would return an equal value, so the scorer can skip it: the schema
 * costs several times this check, for every event.
 *
 * It may only ever say "no" too often, never "yes" wrongly: anything it does not recognise goes
 * through the schema, which normalises it or names what is wrong. well-formed-lead-event.test.ts
 * checks that against the schema with generated events.
 */
export function isWellFormedLeadEvent(value: unknown): value is LeadEvent {
  if (!isPlainObject(value) || !hasOnlyFields(value, eventFields)) return false;
  const { eventId, leadId, type, occurredAt, recordedAt, globalPosition, streamPosition, data } = value;
  return (
    typeof eventId === 'string' &&
    eventIdPattern.test(eventId) &&
    typeof leadId === 'string' &&
    leadIdPattern.test(leadId) &&
    typeof type === 'string' &&
    isActivityType(type) &&
    isCanonicalInstant(occurredAt) &&
    isCanonicalInstant(recordedAt) &&
    isPositionString(globalPosition) &&
    Number.isSafeInteger(streamPosition) &&
    (streamPosition as number) > 0 &&
    isWellFormedData(data)
  );
}

/** `activityDataSchema`'s output: known fields only, the email already trimmed and lower-cased. */
function isWellFormedData(value: unknown): boolean {
  if (!isPlainObject(value) || !hasDefinedFieldsAmong(value, dataFields)) return false;
  const { email, source, properties, traits } = value;
  if (email !== undefined && !isNormalisedEmail(email)) return false;
  if (source !== undefined && !isSource(source)) return false;
  if (properties !== undefined && !isJsonObject(properties)) return false;
  return traits === undefined || isJsonObject(traits);
}
