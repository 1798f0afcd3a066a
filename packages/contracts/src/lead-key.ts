import { hash } from 'node:crypto';
import { z } from 'zod';

/**
 * A caller's lead id (CRM or marketing-automation id, UUID, ...). Restricted to characters that
 * are safe in URLs, Kafka keys and stream ids, so a lead id can be used verbatim everywhere.
 */
export const leadIdPattern = /^[A-Za-z0-9][A-Za-z0-9._:@+~-]{0,127}$/;

export const leadIdSchema = z.string().regex(leadIdPattern, {
  message: 'lead id must be 1-128 characters: letters, digits and . _ : @ + ~ - (not first)',
});

/**
 * Printable ASCII, as the address check requires, before lower-casing: toLowerCase maps a few non-ASCII
 * letters into ASCII (the Kelvin sign K to k), which would make two different inputs one address.
 */
export const asciiPattern = /^[ -~]*$/;

/** An email address, normalised (trimmed, lower-cased) before it is checked. */
export const emailSchema = z
  .string()
  .trim()
  .refine((email) => asciiPattern.test(email), { message: 'Invalid email address' })
  .toLowerCase()
  .max(254)
  .pipe(z.email())
  .meta({ format: 'email', description: 'Trimmed and lower-cased: case does not matter.' });

/**
 * How a source names the person an event is about: its own lead id, an email, or both.
 *
 * Identity rule (stateless, so the webhook and the consumer agree without a lookup):
 * - `id` present: the lead id is `id`; the email, if any, is only an attribute of the lead.
 * - only `email`: the lead id is derived from the normalised email (see `emailLeadId`).
 * A person posted once by email alone and once by id alone is therefore two leads: each source
 * should always send the same identifier (or always both with the same id).
 */
export const leadRefSchema = z
  .strictObject({
    id: leadIdSchema.optional(),
    email: emailSchema.optional(),
  })
  .refine((lead) => lead.id !== undefined || lead.email !== undefined, {
    message: 'lead needs an id or an email',
  })
  .meta({
    description:
      'The person the event is about: the lead id is `id` when present, otherwise derived from the email. ' +
      'Send the same identifier for a person every time.',
    minProperties: 1,
  });

export type LeadRef = z.infer<typeof leadRefSchema>;

const emailLeadIdPrefix = 'em_';

/**
 * The stable lead id of a lead known only by email: `em_` + the first 128 bits (32 hex digits) of
 * SHA-256 over the normalised email. It is a valid `leadIdSchema` value, so a caller can send it
 * back as `lead.id` and reach the same lead.
 */
export function emailLeadId(normalisedEmail: string): string {
  const digest = hash('sha256', normalisedEmail, 'hex');
  return `${emailLeadIdPrefix}${digest.slice(0, 32)}`;
}

export class MissingLeadKeyError extends Error {
  readonly code = 'MISSING_LEAD_KEY';
  constructor() {
    super('lead has neither an id nor an email: parse it with leadRefSchema first');
    this.name = 'MissingLeadKeyError';
  }
}

/** The lead key: Kafka message key on the activity topic and the lead's id in the store. */
export function leadKeyOf(lead: LeadRef): string {
  if (lead.id !== undefined) return lead.id;
  if (lead.email !== undefined) return emailLeadId(lead.email);
  throw new MissingLeadKeyError();
}

const leadStreamPrefix = 'lead-';

/** The event-store stream holding one lead's events. */
export function leadStreamId(leadId: string): string {
  return `${leadStreamPrefix}${leadId}`;
}

/** The lead id of a lead stream, or undefined for streams that are not lead streams. */
export function leadIdFromStreamId(streamId: string): string | undefined {
  return streamId.startsWith(leadStreamPrefix) ? streamId.slice(leadStreamPrefix.length) : undefined;
}
