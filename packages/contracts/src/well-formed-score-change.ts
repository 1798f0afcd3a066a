import { eventIdPattern } from './activity-event.js';
import {
  hasOnlyFields,
  isCanonicalInstant,
  isNormalisedEmail,
  isPlainObject,
  isPositionString,
} from './activity-field-checks.js';
import { leadIdPattern } from './lead-key.js';
import type { ScoreChangedMessage } from './score-changed-message.js';

const messageFields = new Set([
  'leadId',
  'email',
  'eventId',
  'globalPosition',
  'rulesetId',
  'rulesetVersion',
  'occurredAt',
  'scoredAt',
  'recomputed',
  'computedAt',
  'old',
  'new',
  'changes',
  'signals',
  'nextCrossingAt',
  'rescore',
]);
/** Fields the message always has; `email` and `rescore` are optional. */
const requiredFields = messageFields.size - 2;
const snapshotFields = new Set(['engagement', 'fit', 'total', 'grade', 'temperature']);
const signalFields = new Set(['twoWay', 'twoWayAt']);
const grades = new Set(['A', 'B', 'C', 'D', 'E', 'F']);
const changeNames = new Set(['score', 'grade', 'temperature', 'signals', 'ruleset']);

/**
 * True when `value` (fresh from JSON.parse) is a score change exactly as the scoring service
 * publishes it: every field valid, already in the schema's output form, no unknown field. For such
 * a value `scoreChangedMessageSchema.parse` would return an equal value, so the projector can skip
 * the schema, which cost about a quarter of its JavaScript time.
 *
 * It may only ever say "no" too often, never "yes" wrongly: anything it does not recognise goes
 * through the schema, which drops unknown fields or names what is wrong.
 * well-formed-score-change.test.ts checks that against the schema with generated messages.
 */
export function isWellFormedScoreChange(value: unknown): value is ScoreChangedMessage {
  if (!isPlainObject(value)) return false;
  let required = 0;
  for (const key in value) {
    if (!messageFields.has(key) || value[key] === undefined) return false;
    if (key !== 'email' && key !== 'rescore') required += 1;
  }
  if (required !== requiredFields) return false;
  const { leadId, email, eventId, rulesetId, rulesetVersion, changes, rescore } = value;
  return (
    typeof leadId === 'string' &&
    leadIdPattern.test(leadId) &&
    (email === undefined || isNormalisedEmail(email)) &&
    typeof eventId === 'string' &&
    eventIdPattern.test(eventId) &&
    isPositionString(value.globalPosition) &&
    typeof rulesetId === 'string' &&
    rulesetId.length > 0 &&
    Number.isSafeInteger(rulesetVersion) &&
    (rulesetVersion as number) > 0 &&
    isCanonicalInstant(value.occurredAt) &&
    isCanonicalInstant(value.scoredAt) &&
    typeof value.recomputed === 'boolean' &&
    isCanonicalInstant(value.computedAt) &&
    (value.old === null || isSnapshot(value.old)) &&
    isSnapshot(value.new) &&
    isChangeList(changes) &&
    isSignals(value.signals) &&
    (value.nextCrossingAt === null || isCanonicalInstant(value.nextCrossingAt)) &&
    (rescore === undefined || isRescore(rescore))
  );
}

/** A non-empty list of change names, with nothing but its elements (the schema copies only those). */
function isChangeList(value: unknown): boolean {
  if (!Array.isArray(value) || value.length === 0) return false;
  let keys = 0;
  for (const key in value) {
    const change = value[key as unknown as number];
    if (typeof change !== 'string' || !changeNames.has(change)) return false;
    keys += 1;
  }
  return keys === value.length;
}

/** `scoreSnapshotSchema`: finite numbers, a grade, a band name. */
function isSnapshot(value: unknown): boolean {
  if (!isPlainObject(value) || !hasOnlyFields(value, snapshotFields)) return false;
  const { engagement, fit, total, grade, temperature } = value;
  return (
    Number.isFinite(engagement) &&
    Number.isFinite(fit) &&
    Number.isFinite(total) &&
    typeof grade === 'string' &&
    grades.has(grade) &&
    typeof temperature === 'string' &&
    temperature.length > 0
  );
}

function isSignals(value: unknown): boolean {
  if (!isPlainObject(value) || !hasOnlyFields(value, signalFields)) return false;
  return typeof value.twoWay === 'boolean' && (value.twoWayAt === null || isCanonicalInstant(value.twoWayAt));
}

function isRescore(value: unknown): boolean {
  if (!isPlainObject(value)) return false;
  for (const key in value) if (key !== 'jobId') return false;
  return typeof value.jobId === 'string' && value.jobId.length > 0;
}
