/**
 * The activity field schemas of activity-event.ts written out by hand, for the fast paths that
 * skip zod on well-formed input (the consumer's `isNormalisedActivityMessage`, the webhook's
 * `readWellFormedEvent`). Each says yes only where its schema accepts the value and returns it
 * equal; for anything else the caller runs the schema, which normalises it or names what is wrong.
 */

import { z } from 'zod';
import { asciiPattern, type LeadRef, leadIdPattern } from './lead-key.js';
import { isStorableText, MAX_JSON_DEPTH } from './storable-json.js';

const sourceFields = new Set(['utmSource', 'utmMedium', 'utmCampaign']);
const leadFields = new Set(['id', 'email']);
const instantShape = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

const positionShape = /^\d{1,20}$/;

/** `positionStringSchema`: a position in the global log, as a decimal string. */
export function isPositionString(value: unknown): value is string {
  return typeof value === 'string' && positionShape.test(value);
}

/** An object as JSON.parse makes it. Others (null prototype, class instances) go to the schema. */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && Object.getPrototypeOf(value) === Object.prototype;
}

/**
 * What `instantSchema` outputs: a real instant, already in `Date#toISOString` form. Read from the
 * digits instead of a Date round trip (two Dates and a toISOString per instant, the costliest
 * part of a check): Date.parse would accept 2023-02-30 and 24:00 as instants of other days.
 */
export function isCanonicalInstant(value: unknown): value is string {
  if (typeof value !== 'string' || !instantShape.test(value)) return false;
  const month = twoDigits(value, 5);
  const day = twoDigits(value, 8);
  const year = twoDigits(value, 0) * 100 + twoDigits(value, 2);
  return (
    year >= 1 &&
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

/** True when `value` has exactly `fields`, each once, and nothing else. */
export function hasOnlyFields(value: Record<string, unknown>, fields: ReadonlySet<string>): boolean {
  let count = 0;
  for (const key in value) {
    if (!fields.has(key)) return false;
    count += 1;
  }
  return count === fields.size;
}

/** True when every field of `value` is one of `fields` and none is set to undefined. */
export function hasDefinedFieldsAmong(value: Record<string, unknown>, fields: ReadonlySet<string>): boolean {
  for (const key in value) {
    if (!fields.has(key) || value[key] === undefined) return false;
  }
  return true;
}

/** True when the object has at least one key (false for undefined). */
export function hasKeys(value: unknown): boolean {
  for (const _ in value as object) return true;
  return false;
}

/** An email as `emailSchema` outputs it: a valid address, already trimmed and lower-cased. */
export function isNormalisedEmail(value: unknown): value is string {
  return typeof value === 'string' && normalisedEmail(value) === value;
}

/** The address trimmed and lower-cased, as `emailSchema` makes it; undefined when it is invalid. */
function normalisedEmail(email: string): string | undefined {
  const trimmed = email.trim();
  if (!asciiPattern.test(trimmed)) return undefined;
  const normalised = trimmed.toLowerCase();
  return normalised.length > 254 || !z.regexes.email.test(normalised) ? undefined : normalised;
}

/**
 * `leadRefSchema`'s output for a valid lead: the id, the email trimmed and lower-cased, in the
 * schema's key order. Undefined for anything else (unknown fields, no identifier, bad values).
 */
export function readLeadRef(value: unknown): LeadRef | undefined {
  if (!isPlainObject(value) || !hasDefinedFieldsAmong(value, leadFields)) return undefined;
  const { id, email } = value;
  if (id !== undefined && (typeof id !== 'string' || !leadIdPattern.test(id))) return undefined;
  if (email === undefined) return id === undefined ? undefined : { id };
  if (typeof email !== 'string') return undefined;
  const normalised = normalisedEmail(email);
  if (normalised === undefined) return undefined;
  return id === undefined ? { email: normalised } : { id, email: normalised };
}

/** `sourceSchema`: only the utm fields, each storable text of at most 200 characters. */
export function isSource(value: unknown): value is Record<string, string> {
  if (!isPlainObject(value)) return false;
  for (const key in value) {
    const text = value[key];
    if (!sourceFields.has(key) || typeof text !== 'string' || text.length > 200 || !isStorableText(text)) {
      return false;
    }
  }
  return true;
}

/**
 * `jsonObjectSchema`: keys of 1-200 characters, JSON values (finite numbers), storable text
 * everywhere, nesting at most MAX_JSON_DEPTH levels.
 */
export function isJsonObject(value: unknown): value is Record<string, unknown> {
  if (!isPlainObject(value)) return false;
  for (const key in value) {
    if (key.length === 0 || key.length > 200 || !isJsonValue(key, value[key], 1)) return false;
  }
  return true;
}

/** `value`, found under `key` at `depth` levels below the object (the recursion stops at the limit). */
function isJsonValue(key: string, value: unknown, depth: number): boolean {
  // A `__proto__` key would be re-assigned as the prototype by the schema's output: it refuses it.
  if (!isStorableText(key) || key === '__proto__') return false;
  switch (typeof value) {
    case 'string':
      return isStorableText(value);
    case 'number':
      return Number.isFinite(value);
    case 'boolean':
      return true;
    case 'object': {
      if (value === null) return true;
      if (depth >= MAX_JSON_DEPTH) return false;
      if (Array.isArray(value)) return value.every((item) => isJsonValue('', item, depth + 1));
      if (!isPlainObject(value)) return false;
      for (const inner in value) {
        if (!isJsonValue(inner, value[inner], depth + 1)) return false;
      }
      return true;
    }
    default:
      return false;
  }
}
