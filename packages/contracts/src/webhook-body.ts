import { z } from 'zod';
import { type ActivityEvent, activityEventSchema } from './activity-event.js';
import { isPlainObject } from './activity-field-checks.js';
import { describeIssues, type FieldIssue } from './field-issues.js';
import { readWellFormedEvent } from './well-formed-event.js';

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
 *
 * Well-formed events skip zod (`readWellFormedEvent`, same output); an event it does not read is
 * parsed alone with the schema; only a body with an invalid part goes through the whole schema,
 * which names every problem. The result is the same either way.
 */
export function parseWebhookBody(body: unknown): WebhookBodyResult {
  const events = readValidEvents(body);
  return events ? { ok: true, events } : parseWithSchema(body);
}

function readValidEvents(body: unknown): ActivityEvent[] | undefined {
  if (!isPlainObject(body)) return undefined;
  if (!('events' in body)) {
    const event = readValidEvent(body);
    return event && [event];
  }
  for (const key in body) if (key !== 'events') return undefined;
  const list = body.events;
  if (!Array.isArray(list) || list.length === 0 || list.length > maxEventsPerBatch) return undefined;
  const events: ActivityEvent[] = [];
  for (const item of list) {
    const event = readValidEvent(item);
    if (event === undefined) return undefined;
    events.push(event);
  }
  return events;
}

function readValidEvent(value: unknown): ActivityEvent | undefined {
  return readWellFormedEvent(value) ?? activityEventSchema.safeParse(value).data;
}

function parseWithSchema(body: unknown): WebhookBodyResult {
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
