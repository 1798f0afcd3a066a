import { type ActivityEvent, eventIdPattern, type Source } from './activity-event.js';
import {
  hasDefinedFieldsAmong,
  hasKeys,
  isCanonicalInstant,
  isJsonObject,
  isPlainObject,
  isSource,
  readLeadRef,
} from './activity-field-checks.js';
import { isActivityType } from './activity-types.js';

const eventFields = new Set(['id', 'type', 'lead', 'occurredAt', 'source', 'properties', 'traits']);
const wholeSecondsUtc = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/;

/**
 * `activityEventSchema.parse(value)` for the common, well-formed event, without zod: the same
 * output (email trimmed and lower-cased, occurredAt in `toISOString` form, the schema's key
 * order), at a fraction of the CPU. Undefined for everything else, which then goes through the
 * schema: every invalid event (so refusals keep zod's messages), and valid ones this does not
 * read, such as instants with an offset or fractions other than milliseconds.
 *
 * It may only ever say "not mine" too often, never accept wrongly or return another value:
 * well-formed-event.test.ts checks it against the schema with generated events.
 */
export function readWellFormedEvent(value: unknown): ActivityEvent | undefined {
  if (!isPlainObject(value) || !hasDefinedFieldsAmong(value, eventFields)) return undefined;
  const { id, type, source, properties, traits } = value;
  if (id !== undefined && (typeof id !== 'string' || !eventIdPattern.test(id))) return undefined;
  if (typeof type !== 'string' || !isActivityType(type)) return undefined;
  const lead = readLeadRef(value.lead);
  const occurredAt = utcInstantOf(value.occurredAt);
  if (lead === undefined || occurredAt === undefined) return undefined;
  if (source !== undefined && !isSource(source)) return undefined;
  if (properties !== undefined && !isJsonObject(properties)) return undefined;
  if (traits !== undefined && !isJsonObject(traits)) return undefined;
  if (type === 'profile.updated' && (properties !== undefined || !hasKeys(traits))) return undefined;

  const event: ActivityEvent = id === undefined ? { type, lead, occurredAt } : { id, type, lead, occurredAt };
  if (source !== undefined) event.source = sourceInSchemaOrder(source);
  if (properties !== undefined) event.properties = properties as ActivityEvent['properties'];
  if (traits !== undefined) event.traits = traits as ActivityEvent['traits'];
  return event;
}

/** The instant in `toISOString` form, for UTC instants written with milliseconds or whole seconds. */
function utcInstantOf(value: unknown): string | undefined {
  if (isCanonicalInstant(value)) return value;
  if (typeof value !== 'string' || !wholeSecondsUtc.test(value)) return undefined;
  const withMilliseconds = `${value.slice(0, 19)}.000Z`;
  return isCanonicalInstant(withMilliseconds) ? withMilliseconds : undefined;
}

function sourceInSchemaOrder(source: Record<string, string>): Source {
  const ordered: Source = {};
  if (source.utmSource !== undefined) ordered.utmSource = source.utmSource;
  if (source.utmMedium !== undefined) ordered.utmMedium = source.utmMedium;
  if (source.utmCampaign !== undefined) ordered.utmCampaign = source.utmCampaign;
  return ordered;
}
