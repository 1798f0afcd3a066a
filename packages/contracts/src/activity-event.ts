import { z } from 'zod';
import { activityTypeSchema } from './activity-types.js';
import { leadRefSchema } from './lead-key.js';
import { isStorableText, unstorableJsonPart, unstorableTextMessage } from './storable-json.js';

/** Caller-chosen event id: printable ASCII without spaces. It is the idempotency key. */
export const eventIdPattern = /^[\x21-\x7e]{1,128}$/;

export const eventIdSchema = z
  .string()
  .regex(eventIdPattern, { message: 'event id must be 1-128 printable ASCII characters, no spaces' })
  .meta({
    description: 'The idempotency key: an event sent again with the same id is stored once.',
  });

/** A UTC instant's year as PostgreSQL stores it: four digits, not 0000. */
const storableYear = /^(?!0000)\d{4}-/;

/**
 * An instant with an explicit offset (`Z` or `+02:00`), normalised to UTC with millisecond
 * precision (`2024-05-01T08:00:00.000Z`): local times without an offset are ambiguous and refused.
 */
export const instantSchema = z.iso
  .datetime({
    offset: true,
    message: 'must be an ISO-8601 date-time with an offset, e.g. 2024-05-01T10:00:00Z',
  })
  .meta({
    description: 'An ISO-8601 date-time with an offset (Z or +02:00), kept in UTC to the millisecond.',
  })
  .transform((value) => new Date(value).toISOString())
  // An offset can carry 0001-01-01 or 9999-12-31 across a year boundary: PostgreSQL stores neither
  // year 0 nor a five-digit year (and the latter is no longer this schema's format).
  .refine((utc) => storableYear.test(utc), { message: 'must fall between 0001-01-01 and 9999-12-31 in UTC' });

/**
 * A JSON object of free-form fields (properties, traits), refused where PostgreSQL could not store
 * it (storable-json.ts). A `__proto__` key vanishes when the record is rebuilt, so this cannot see
 * it: parseWebhookBody refuses it on the body it parsed.
 */
export const jsonObjectSchema = z.record(z.string().min(1).max(200), z.json()).superRefine((value, ctx) => {
  const problem = unstorableJsonPart(value);
  if (problem !== undefined)
    ctx.addIssue({ code: 'custom', path: [...problem.path], message: problem.message });
});

/** Campaign attribution (the utm_* parameters). */
const utmValue = z.string().max(200).refine(isStorableText, { message: unstorableTextMessage });

export const sourceSchema = z.strictObject({
  utmSource: utmValue.optional(),
  utmMedium: utmValue.optional(),
  utmCampaign: utmValue.optional(),
});

export type Source = z.infer<typeof sourceSchema>;

/** The fields every activity carries, on the webhook and on the activity topic. */
export const activityFields = {
  type: activityTypeSchema,
  lead: leadRefSchema,
  occurredAt: instantSchema,
  source: sourceSchema.optional(),
  properties: jsonObjectSchema.optional(),
  traits: jsonObjectSchema.optional(),
};

interface ActivityShape {
  type: string;
  properties?: Record<string, unknown> | undefined;
  traits?: Record<string, unknown> | undefined;
}

/** `profile.updated` carries only traits: no properties, and at least one trait. */
export function checkProfileUpdate(event: ActivityShape, ctx: z.RefinementCtx): void {
  if (event.type !== 'profile.updated') return;
  if (event.traits === undefined || Object.keys(event.traits).length === 0) {
    ctx.addIssue({ code: 'custom', path: ['traits'], message: 'profile.updated needs at least one trait' });
  }
  if (event.properties !== undefined) {
    ctx.addIssue({ code: 'custom', path: ['properties'], message: 'profile.updated carries only traits' });
  }
}

/**
 * One behavioural event as a source posts it to `POST /v1/events`. Unknown fields are refused
 * (a misspelt field would otherwise be dropped silently); free-form data goes in `properties`.
 */
export const activityEventSchema = z
  .strictObject({ id: eventIdSchema.optional(), ...activityFields })
  .superRefine(checkProfileUpdate);

/** A parsed, normalised event (email lower-cased, occurredAt in UTC). */
export type ActivityEvent = z.infer<typeof activityEventSchema>;
/** An event as the caller may write it. */
export type ActivityEventInput = z.input<typeof activityEventSchema>;
