import { z } from 'zod';
import { describeIssues, type FieldIssue } from './field-issues.js';

/**
 * CloudEvents 1.0 Kafka protocol binding, binary content mode: the event attributes travel as
 * `ce_*` headers, the data is the message value, and its media type is the `content-type` header.
 */
export const cloudEventAttributesSchema = z.object({
  id: z.string().min(1),
  /** Reverse-DNS event type, e.g. `io.leadscore.email.opened`. */
  type: z.string().min(1),
  /** URI reference of the producer, e.g. `/leadscore/relay`. */
  source: z.string().min(1),
  /** What the event is about within the source: for leadscore, the lead id. */
  subject: z.string().min(1).optional(),
  time: z.iso.datetime({ offset: true }).optional(),
  dataContentType: z.string().min(1).default('application/json'),
});

export type CloudEventAttributes = z.infer<typeof cloudEventAttributesSchema>;
export type CloudEventAttributesInput = z.input<typeof cloudEventAttributesSchema>;

export const cloudEventsSpecVersion = '1.0';

/** The CloudEvents type of a leadscore event type: `email.opened` -> `io.leadscore.email.opened`. */
export function cloudEventType(eventType: string): string {
  return `io.leadscore.${eventType}`;
}

export function toCloudEventHeaders(input: CloudEventAttributesInput): Record<string, string> {
  const attributes = cloudEventAttributesSchema.parse(input);
  const headers: Record<string, string> = {
    ce_specversion: cloudEventsSpecVersion,
    ce_id: attributes.id,
    ce_type: attributes.type,
    ce_source: attributes.source,
    'content-type': attributes.dataContentType,
  };
  if (attributes.subject !== undefined) headers.ce_subject = attributes.subject;
  if (attributes.time !== undefined) headers.ce_time = attributes.time;
  return headers;
}

export class InvalidCloudEventHeadersError extends Error {
  readonly code = 'INVALID_CLOUDEVENT_HEADERS';
  constructor(readonly issues: readonly FieldIssue[]) {
    super(
      `not a CloudEvents 1.0 binary-mode message: ${issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`,
    );
    this.name = 'InvalidCloudEventHeadersError';
  }
}

function headerNameOf(attribute: string): string {
  return attribute === 'dataContentType' ? 'content-type' : `ce_${attribute}`;
}

/** Reads the attributes back from Kafka headers; throws InvalidCloudEventHeadersError when absent or wrong. */
export function fromCloudEventHeaders(headers: Readonly<Record<string, string>>): CloudEventAttributes {
  if (headers.ce_specversion !== cloudEventsSpecVersion) {
    throw new InvalidCloudEventHeadersError([
      { path: 'ce_specversion', message: `must be ${cloudEventsSpecVersion}, got ${headers.ce_specversion}` },
    ]);
  }
  const result = cloudEventAttributesSchema.safeParse({
    id: headers.ce_id,
    type: headers.ce_type,
    source: headers.ce_source,
    subject: headers.ce_subject,
    time: headers.ce_time,
    dataContentType: headers['content-type'],
  });
  if (!result.success) {
    const issues = describeIssues(result.error).map((issue) => ({
      ...issue,
      path: headerNameOf(issue.path),
    }));
    throw new InvalidCloudEventHeadersError(issues);
  }
  return result.data;
}
