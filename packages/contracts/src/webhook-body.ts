import { z } from 'zod';
import { type ActivityEvent, activityEventSchema } from './activity-event.js';
import { isPlainObject } from './activity-field-checks.js';
import { canonicalJson, type JsonValue } from './canonical-json.js';
import { derivedEventIdPrefix, deterministicEventId, stageChangeIdPrefix } from './event-id.js';
import { describeIssues, type FieldIssue, formatPath } from './field-issues.js';
import { type JsonProblem, unstorableJsonPart } from './storable-json.js';
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
  const parsed = events ? { ok: true as const, events } : parseWithSchema(body);
  // Named beside the schema's problems, so that one answer lists everything to fix.
  const idIssues = idProblems(parsed.ok ? parsed.events : eventsValidAlone(body), isBatch(body));
  if (idIssues.length === 0) return parsed;
  return { ok: false, issues: parsed.ok ? idIssues : [...parsed.issues, ...idIssues] };
}

const isBatch = (body: unknown): boolean => isPlainObject(body) && 'events' in body;

/** What is wrong with the ids of the events that are valid on their own (undefined: invalid). */
function idProblems(events: readonly (ActivityEvent | undefined)[], batched: boolean): FieldIssue[] {
  return [...idsNotTheCallers(events, batched), ...conflictingIds(events)];
}

/**
 * Ids a caller may not choose. `stg_` ids are the projector's stage changes': stored first under
 * an activity event, such an id would make the lead's stage change look stored already, and it
 * would never be made. An `evt_` id is derived from an event's content (deterministicEventId): it
 * is accepted on the event it was derived from (a resend under the id the webhook answered), not
 * on another, which would take the place of the event that has it.
 */
function idsNotTheCallers(events: readonly (ActivityEvent | undefined)[], batched: boolean): FieldIssue[] {
  const issues: FieldIssue[] = [];
  events.forEach((event, index) => {
    const id = event?.id;
    if (id === undefined) return;
    const path = batched ? `events[${index}].id` : 'id';
    if (id.startsWith(stageChangeIdPrefix)) {
      issues.push({
        path,
        message: `ids starting with ${stageChangeIdPrefix} name stage changes: choose another id`,
      });
    } else if (id.startsWith(derivedEventIdPrefix) && id !== deterministicEventId(event as ActivityEvent)) {
      issues.push({
        path,
        message: `ids starting with ${derivedEventIdPrefix} are derived from an event's content, and this is not this event's: send it without an id, or choose another`,
      });
    }
  });
  return issues;
}

/**
 * Events of one batch that reuse an earlier event's id with other content. The store keeps the
 * first event of an id and skips the rest as resends, so the second would be answered "accepted"
 * and never stored. The same event twice is a resend, and fine. An invalid event (undefined) is
 * named by the schema; it takes part in no comparison.
 */
function conflictingIds(events: readonly (ActivityEvent | undefined)[]): FieldIssue[] {
  if (events.length < 2) return [];
  const firstIndex = new Map<string, number>();
  const issues: FieldIssue[] = [];
  events.forEach((event, index) => {
    if (event?.id === undefined) return;
    const earlier = firstIndex.get(event.id);
    if (earlier === undefined) firstIndex.set(event.id, index);
    else if (canonicalJson(events[earlier] as JsonValue) !== canonicalJson(event as JsonValue)) {
      issues.push({
        path: `events[${index}].id`,
        message: `repeats the id of events[${earlier}] with other content: an id names one event`,
      });
    }
  });
  return issues;
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

/** A refused batch's events, each parsed on its own: undefined where it is invalid. */
function eventsValidAlone(body: unknown): (ActivityEvent | undefined)[] {
  const list = isPlainObject(body) ? body.events : undefined;
  if (!Array.isArray(list) || list.length > maxEventsPerBatch) return [];
  return list.map(readValidEvent);
}

function readValidEvent(value: unknown): ActivityEvent | undefined {
  const wellFormed = readWellFormedEvent(value);
  if (wellFormed !== undefined) return wellFormed;
  // zod only where it is safe (parseWithSchema names what is not).
  if (unsafeFreeForm(value).length > 0) return undefined;
  return activityEventSchema.safeParse(value).data;
}

function parseWithSchema(body: unknown): WebhookBodyResult {
  const isBatch = typeof body === 'object' && body !== null && 'events' in body;
  const unsafe = unsafeFreeFormParts(body, isBatch);
  if (unsafe.length > 0) return { ok: false, issues: unsafe };
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

/**
 * What must be refused in the events' properties and traits before zod sees them: a `__proto__`
 * key, which zod's record would drop unseen, and nesting deeper than MAX_JSON_DEPTH, which zod
 * would follow as deep as it goes. The schema checks the text itself (jsonObjectSchema).
 */
function unsafeFreeFormParts(body: unknown, isBatch: boolean): FieldIssue[] {
  const list = isBatch ? (body as { events: unknown }).events : [body];
  if (!Array.isArray(list)) return [];
  return list.flatMap((event, index) => {
    const prefix = isBatch ? ['events', index] : [];
    return unsafeFreeForm(event).map(({ path, message }) => ({
      path: formatPath([...prefix, ...path]),
      message,
    }));
  });
}

/** unsafeFreeFormParts for one event, with paths from the event. */
function unsafeFreeForm(event: unknown): JsonProblem[] {
  if (!isPlainObject(event)) return [];
  return (['properties', 'traits'] as const).flatMap((field) => {
    const problem = unstorableJsonPart(event[field], { text: false });
    return problem === undefined ? [] : [{ path: [field, ...problem.path], message: problem.message }];
  });
}
