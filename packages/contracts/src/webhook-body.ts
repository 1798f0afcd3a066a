import { z } from 'zod';
import { type ActivityEvent, activityEventSchema } from './activity-event.js';
import { describeIssues, type FieldIssue } from './field-issues.js';

export const maxEventsPerBatch = 1_000;

/** The batch envelope of `POST /v1/events`. */
export const eventBatchSchema = z.strictObject({
  events: z
    .array(activityEventSchema)
    .min(1, { message: 'a batch needs at least one event' })
    .max(maxEventsPerBatch, { message: `a batch holds at most ${maxEventsPerBatch} events` }),
});

export type EventBatch = z.infer<typeof eventBatchSchema>;

export type WebhookBodyResult =
  | { readonly ok: true; readonly events: ActivityEvent[] }
  | { readonly ok: false; readonly issues: FieldIssue[] };

/**
 * Parses a webhook body, which is one event or `{ "events": [...] }`. All or nothing: when any
 * event is invalid the result lists every bad field (`events[3].lead.email` for a batch,
 * `lead.email` for a single event) and no event is returned.
 */
export function parseWebhookBody(body: unknown): WebhookBodyResult {
  const isBatch = typeof body === 'object' && body !== null && 'events' in body;
  if (isBatch) {
    const result = eventBatchSchema.safeParse(body);
    return result.success
      ? { ok: true, events: result.data.events }
      : { ok: false, issues: describeIssues(result.error) };
  }
  const result = activityEventSchema.safeParse(body);
  return result.success
    ? { ok: true, events: [result.data] }
    : { ok: false, issues: describeIssues(result.error) };
}
