import { eventIdPattern } from './activity-event.js';
import {
  hasKeys,
  isCanonicalInstant,
  isJsonObject,
  isPlainObject,
  isSource,
  readLeadRef,
} from './activity-field-checks.js';
import type { ActivityMessage } from './activity-message.js';
import { isActivityType } from './activity-types.js';

/**
 * True when `value` (fresh from JSON.parse) is an activity message exactly as the webhook
 * publishes it: every field valid AND already normalised (lower-case trimmed email, instants in
 * `toISOString` form, no unknown fields). For such a value `activityMessageSchema.parse` would
 * return an equal value, so the consumer can skip it: full zod validation costs several times
 * this check, for every message.
 *
 * It may only ever say "no" too often, never "yes" wrongly: anything it does not recognise
 * (unknown fields, an email in capitals, a date with an offset, a `__proto__` key) returns false
 * and goes through the schema, which normalises it or names what is wrong.
 * normalised-activity-message.test.ts checks that against the schema with generated messages.
 */
export function isNormalisedActivityMessage(value: unknown): value is ActivityMessage {
  if (!isPlainObject(value)) return false;
  let fields = 0;
  for (const key in value) {
    if (!messageFields.has(key)) return false;
    fields += 1;
  }
  const { id, type, lead, occurredAt, receivedAt, source, properties, traits } = value;
  const optional =
    Number(source !== undefined) + Number(properties !== undefined) + Number(traits !== undefined);
  if (fields !== 5 + optional) return false;
  if (typeof id !== 'string' || !eventIdPattern.test(id)) return false;
  if (typeof type !== 'string' || !isActivityType(type)) return false;
  if (!isCanonicalInstant(occurredAt) || !isCanonicalInstant(receivedAt)) return false;
  if (!isNormalisedLead(lead)) return false;
  if (source !== undefined && !isSource(source)) return false;
  if (properties !== undefined && !isJsonObject(properties)) return false;
  if (traits !== undefined && !isJsonObject(traits)) return false;
  if (type === 'profile.updated') {
    return properties === undefined && hasKeys(traits);
  }
  return true;
}

const messageFields = new Set([
  'id',
  'type',
  'lead',
  'occurredAt',
  'receivedAt',
  'source',
  'properties',
  'traits',
]);

function isNormalisedLead(value: unknown): boolean {
  const lead = readLeadRef(value);
  return lead !== undefined && lead.email === (value as { email?: unknown }).email;
}
