import type { FieldIssue } from '@leadscore/contracts';
import { type ApiKeyRefusal, HttpProblem } from '@leadscore/platform';
import type { RefusalReason } from '../metrics.js';

interface RefusalOptions {
  readonly status: number;
  readonly code: string;
  readonly reason: RefusalReason;
  readonly title: string;
  readonly detail: string;
  readonly extensions?: Readonly<Record<string, unknown>>;
  readonly headers?: Readonly<Record<string, string>>;
}

/**
 * A webhook request refused before anything was published: a problem+json answer that also
 * names the metrics reason and the response headers the refusal needs (Retry-After, ...).
 */
export class WebhookRefusal extends HttpProblem {
  readonly reason: RefusalReason;
  readonly headers: Readonly<Record<string, string>>;

  constructor(options: RefusalOptions) {
    super(options);
    this.reason = options.reason;
    this.headers = options.headers ?? {};
  }
}

export const refusals = {
  /** The shared API key check refused the request; counted as unauthenticated (401) or forbidden (403). */
  apiKey: (refusal: ApiKeyRefusal) =>
    new WebhookRefusal({
      status: refusal.status,
      code: refusal.code,
      reason: refusal.status === 403 ? 'forbidden' : 'unauthenticated',
      title: refusal.title,
      detail: refusal.detail ?? refusal.title,
      ...(refusal.challenge ? { headers: { 'www-authenticate': refusal.challenge } } : {}),
    }),
  rateLimited: (keyId: string, retryAfterSeconds: number) =>
    new WebhookRefusal({
      status: 429,
      code: 'rate-limited',
      reason: 'rate-limited',
      title: 'Too many requests',
      detail: `API key "${keyId}" exceeded its request rate; retry after ${retryAfterSeconds} s`,
      headers: { 'retry-after': String(retryAfterSeconds) },
    }),
  unsupportedMediaType: (contentType: string | undefined) =>
    new WebhookRefusal({
      status: 415,
      code: 'unsupported-media-type',
      reason: 'unsupported-media-type',
      title: 'Unsupported media type',
      detail: `content type must be application/json, got ${contentType ? `"${contentType}"` : 'none'}`,
    }),
  bodyTooLarge: (limitBytes: number) =>
    new WebhookRefusal({
      status: 413,
      code: 'body-too-large',
      reason: 'too-large',
      title: 'Request body too large',
      detail: `the body exceeds ${limitBytes} bytes; split the events into smaller batches`,
    }),
  tooManyEvents: (count: number, limit: number) =>
    new WebhookRefusal({
      status: 413,
      code: 'too-many-events',
      reason: 'too-large',
      title: 'Too many events in one batch',
      detail: `the batch holds ${count} events; at most ${limit} are accepted per request`,
    }),
  signature: (code: string, reason: 'bad-signature' | 'stale-timestamp', detail: string) =>
    new WebhookRefusal({ status: 401, code, reason, title: 'Request signature not accepted', detail }),
  malformedJson: (message: string) =>
    new WebhookRefusal({
      status: 400,
      code: 'malformed-json',
      reason: 'invalid-event',
      title: 'Malformed JSON',
      detail: `the body is not valid JSON: ${message}`,
    }),
  invalidEvents: (issues: readonly FieldIssue[]) =>
    new WebhookRefusal({
      status: 400,
      code: 'validation',
      reason: 'invalid-event',
      title: 'Invalid events',
      detail: `nothing was accepted; fix every problem and resend: ${issues
        .map((issue) => `${issue.path}: ${issue.message}`)
        .join('; ')}`,
      extensions: {
        errors: issues.map((issue) => ({ in: 'body', path: issue.path, message: issue.message })),
      },
    }),
  kafkaUnavailable: () =>
    new WebhookRefusal({
      status: 503,
      code: 'event-log-unavailable',
      reason: 'kafka-unavailable',
      title: 'Event log unavailable',
      detail: 'the events could not be written to Kafka; nothing was accepted, retry later',
      headers: { 'retry-after': '5' },
    }),
};
