import { z } from 'zod';

/**
 * Activity types the product knows and the default ruleset scores. Sources post these names.
 * `profile.updated` is the one non-behavioural type: it only carries traits (fit data).
 */
export const knownActivityTypes = [
  'email.opened',
  'email.clicked',
  'email.replied',
  'email.bounced',
  'email.unsubscribed',
  'page.visited',
  'form.submitted',
  'content.downloaded',
  'webinar.registered',
  'webinar.attended',
  'newsletter.subscribed',
  'meeting.booked',
  'profile.updated',
] as const;

export type KnownActivityType = (typeof knownActivityTypes)[number];

/**
 * Types outside the known list are accepted only in the `custom.` namespace
 * (e.g. `custom.trial_started`). Why: a typo such as `email.open` must be refused with a clear
 * error instead of being stored and silently scoring nothing, while teams can still send
 * behaviour the product does not know yet and write rules for it.
 */
export const customActivityTypePattern = /^custom\.[a-z0-9_]+(\.[a-z0-9_]+)*$/;

const knownTypeSet: ReadonlySet<string> = new Set(knownActivityTypes);

export function isKnownActivityType(type: string): type is KnownActivityType {
  return knownTypeSet.has(type);
}

/** True for every type the webhook accepts: a known type or a `custom.*` one. */
export function isActivityType(type: string): boolean {
  return isKnownActivityType(type) || (type.length <= 100 && customActivityTypePattern.test(type));
}

export const activityTypeSchema = z
  .string()
  .refine(isActivityType, {
    message: `unknown event type: use one of ${knownActivityTypes.join(', ')}, or a custom.<name> type`,
  })
  // What the refinement accepts, for the JSON Schemas generated from this one (webhook, topics).
  .meta({
    description: 'A known activity type, or custom.<name> for behaviour the product does not know yet.',
    anyOf: [{ enum: [...knownActivityTypes] }, { pattern: customActivityTypePattern.source, maxLength: 100 }],
  });

export type ActivityType = z.infer<typeof activityTypeSchema>;
