import { z } from 'zod';
import { eventIdSchema, instantSchema } from './activity-event.js';
import { activityDataSchema } from './activity-message.js';
import { activityTypeSchema } from './activity-types.js';
import { leadIdSchema } from './lead-key.js';

/** A 64-bit unsigned position, carried as a decimal string because JSON numbers stop at 2^53. */
export const positionStringSchema = z.string().regex(/^\d{1,20}$/, { message: 'must be a decimal integer' });

/**
 * The value of a message on `leadscore.lead-events.v1`: an activity or profile event as the
 * event store recorded it, published by the relay with key = lead id, CloudEvents headers and
 * `ce_id` = `eventId`. Delivery is at least once: consumers dedupe by `eventId` (or by
 * `streamPosition`, which increases by one per event of the lead).
 */
export const leadEventSchema = z.object({
  eventId: eventIdSchema,
  leadId: leadIdSchema,
  type: activityTypeSchema,
  occurredAt: instantSchema,
  recordedAt: instantSchema,
  /** Position in the store's global log; increases with commit order, not necessarily by one. */
  globalPosition: positionStringSchema,
  /** Position in the lead's stream, from 1. */
  streamPosition: z.number().int().positive(),
  data: activityDataSchema,
});

export type LeadEvent = z.infer<typeof leadEventSchema>;
