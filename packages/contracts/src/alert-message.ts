import { z } from 'zod';
import { eventIdSchema, instantSchema } from './activity-event.js';
import { emailSchema, leadIdSchema } from './lead-key.js';

/**
 * The value of a message on `leadscore.alerts.v1`, key = lead id: a lead at least as warm as a
 * rule asks (re)visited a pivotal page (pricing, demo, trial). Delivery is at least once; the
 * alert id (`${eventId}:${ruleId}`) is stable across redeliveries, so sales tools can dedupe.
 */
export const alertMessageSchema = z.object({
  alertId: z.string().min(1),
  leadId: leadIdSchema,
  email: emailSchema.optional(),
  /** The page visit that raised the alert. */
  eventId: eventIdSchema,
  /** The engagement rule that flagged the page as pivotal. */
  ruleId: z.string().min(1),
  /** The visited page, when the event carried one (`properties.url`, else `properties.path`). */
  url: z.string().optional(),
  /** Temperature and total including the visit itself. */
  temperature: z.string().min(1),
  score: z.number(),
  occurredAt: instantSchema,
  rulesetId: z.string().min(1),
  rulesetVersion: z.number().int().positive(),
});
export type AlertMessage = z.infer<typeof alertMessageSchema>;
export type AlertMessageInput = z.input<typeof alertMessageSchema>;

/** The stable id of the alert a rule raised for an event. */
export function alertIdOf(eventId: string, ruleId: string): string {
  return `${eventId}:${ruleId}`;
}
