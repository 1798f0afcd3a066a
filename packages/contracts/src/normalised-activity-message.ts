import { z } from 'zod';
import { eventIdPattern } from './activity-event.js';
import type { ActivityMessage } from './activity-message.js';
import { isActivityType } from './activity-types.js';
import { leadIdPattern } from './lead-key.js';

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
    return properties === undefined && traits !== undefined && Object.keys(traits as object).length > 0;
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
const sourceFields = new Set(['utmSource', 'utmMedium', 'utmCampaign']);
const instantShape = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * What `instantSchema` outputs: a real instant, already in `Date#toISOString` form. Read from the
 * digits instead of a Date round trip (two Dates and a toISOString per instant, the costliest
 * part of this check): Date.parse would accept 2023-02-30 and 24:00 as instants of other days.
 */
function isCanonicalInstant(value: unknown): boolean {
  if (typeof value !== 'string' || !instantShape.test(value)) return false;
  const month = twoDigits(value, 5);
  const day = twoDigits(value, 8);
  const year = twoDigits(value, 0) * 100 + twoDigits(value, 2);
  return (
    month >= 1 &&
    month <= 12 &&
    day >= 1 &&
    day <= daysInMonth(year, month) &&
    twoDigits(value, 11) <= 23 &&
    twoDigits(value, 14) <= 59 &&
    twoDigits(value, 17) <= 59
  );
}

function twoDigits(text: string, at: number): number {
  return (text.charCodeAt(at) - 48) * 10 + (text.charCodeAt(at + 1) - 48);
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

function isNormalisedLead(value: unknown): boolean {
  if (!isPlainObject(value)) return false;
  let fields = 0;
  for (const key in value) {
    if (key !== 'id' && key !== 'email') return false;
    fields += 1;
  }
  const { id, email } = value;
  if (fields !== Number(id !== undefined) + Number(email !== undefined) || fields === 0) return false;
  if (id !== undefined && (typeof id !== 'string' || !leadIdPattern.test(id))) return false;
  if (email === undefined) return true;
  return (
    typeof email === 'string' &&
    email.length <= 254 &&
    email === email.trim().toLowerCase() &&
    z.regexes.email.test(email)
  );
}

function isSource(value: unknown): boolean {
  if (!isPlainObject(value)) return false;
  for (const key in value) {
    const text = value[key];
    if (!sourceFields.has(key) || typeof text !== 'string' || text.length > 200 || text.includes('\u0000')) {
      return false;
    }
  }
  return true;
}

/** `jsonObjectSchema`: keys of 1-200 characters, JSON values (finite numbers), no NUL anywhere. */
function isJsonObject(value: unknown): boolean {
  if (!isPlainObject(value)) return false;
  for (const key in value) {
    if (key.length === 0 || key.length > 200 || !isJsonValue(key, value[key])) return false;
  }
  return true;
}

function isJsonValue(key: string, value: unknown): boolean {
  // A `__proto__` key would be re-assigned as the prototype by the schema's output: let it decide.
  if (key.includes('\u0000') || key === '__proto__') return false;
  switch (typeof value) {
    case 'string':
      return !value.includes('\u0000');
    case 'number':
      return Number.isFinite(value);
    case 'boolean':
      return true;
    case 'object': {
      if (value === null) return true;
      if (Array.isArray(value)) return value.every((item) => isJsonValue('', item));
      for (const inner in value) {
        if (!isJsonValue(inner, (value as Record<string, unknown>)[inner])) return false;
      }
      return true;
    }
    default:
      return false;
  }
}
