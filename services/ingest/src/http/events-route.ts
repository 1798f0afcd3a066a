import {
  type ActivityEvent,
  type FieldIssue,
  maxEventsPerBatch,
  parseWebhookBody,
} from '@leadscore/contracts';
import type { Bus } from '@leadscore/kafka';
import { ApiKeyRefusal, apiKeyAuthPlugin, type ConfiguredApiKey } from '@leadscore/platform';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { IngestMetrics } from '../metrics.js';
import { publishActivities } from '../publish-activities.js';
import { SIGNATURE_HEADER, TIMESTAMP_HEADER, verifyWebhookSignature } from './hmac-signature.js';
import type { RateLimiter } from './rate-limit.js';
import { refusals, WebhookRefusal } from './webhook-errors.js';
import type { WebhookAccepted } from './webhook-openapi.js';

export const INGEST_SCOPE = 'ingest';
export const MAX_BODY_BYTES = 1024 * 1024;

export interface EventsRouteOptions {
  readonly bus: Bus;
  readonly activityTopic: string;
  readonly apiKeys: readonly ConfiguredApiKey[];
  readonly takeToken: RateLimiter;
  /** How far ahead of `now` an event's occurredAt may be; later events are refused. */
  readonly futureToleranceMs: number;
  /** When set, every request must be signed with this secret (HMAC-SHA256 over `timestamp.body`). */
  readonly signature?: { readonly secret: string; readonly toleranceMs: number };
  readonly metrics: IngestMetrics;
  readonly now: () => number;
}

/**
 * `POST /v1/events`. Checks run cheapest first and before the body is read where they can:
 * key, scope, rate, content type (onRequest); size (while reading); signature (needs the raw
 * bytes); then the whole request is validated. Only a fully valid request is published, and 202
 * is sent only after Kafka acknowledged, so "accepted" always means "durably in the log".
 */
export async function eventsRoute(app: FastifyInstance, options: EventsRouteOptions): Promise<void> {
  const { metrics } = options;
  await app.register(apiKeyAuthPlugin, { keys: options.apiKeys, realm: 'leadscore-ingest' });

  // The raw bytes are kept (the signature is over them) and parsed only after the signature check.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser(
    'application/json',
    { parseAs: 'buffer', bodyLimit: MAX_BODY_BYTES },
    (_request, body, done) => done(null, body),
  );

  app.setErrorHandler((error: FastifyError, _request, reply) => {
    const refusal = asRefusal(error);
    if (!refusal) throw error;
    metrics.requestsRefused.inc({ reason: refusal.reason });
    reply.headers(refusal.headers);
    // The app's problem+json handler renders it.
    throw refusal;
  });

  app.post(
    '/v1/events',
    {
      bodyLimit: MAX_BODY_BYTES,
      onRequest: [
        app.requireScope(INGEST_SCOPE),
        async (request) => {
          const keyId = request.apiKey?.id ?? 'unknown';
          const decision = options.takeToken(keyId, options.now());
          if (!decision.allowed) throw refusals.rateLimited(keyId, decision.retryAfterSeconds);
          if (!isJson(request.headers['content-type'])) {
            throw refusals.unsupportedMediaType(request.headers['content-type']);
          }
        },
      ],
    },
    async (request: FastifyRequest, reply: FastifyReply) => {
      const raw = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
      if (options.signature) checkSignature(request, raw, options.signature, options.now());
      const events = parseEvents(raw, options.now() + options.futureToleranceMs);
      let accepted: Awaited<ReturnType<typeof publishActivities>>;
      try {
        accepted = await publishActivities(options.bus, options.activityTopic, events, {
          receivedAt: new Date(options.now()),
          apiKeyId: request.apiKey?.id ?? 'unknown',
        });
      } catch (error) {
        request.log.error(
          { err: error, events: events.length },
          'publishing to Kafka failed; nothing accepted',
        );
        throw refusals.kafkaUnavailable();
      }
      metrics.eventsAccepted.inc(accepted.ids.length);
      const answer: WebhookAccepted = { accepted: accepted.ids.length, ids: accepted.ids };
      return reply.code(202).send(answer);
    },
  );
}

/**
 * Events dated after `latest`: an event from the future would count in scores and stages now, and
 * the sender's clock is wrong. Paths as parseWebhookBody names them. Read from the events as sent,
 * valid or not, so that a refused batch names them beside its other problems.
 */
function eventsAheadOf(events: readonly unknown[], batched: boolean, latest: number): FieldIssue[] {
  const issues: FieldIssue[] = [];
  events.forEach((event, index) => {
    const occurredAt = (event as { occurredAt?: unknown } | null)?.occurredAt;
    if (typeof occurredAt !== 'string' || !(Date.parse(occurredAt) > latest)) return;
    issues.push({
      path: batched ? `events[${index}].occurredAt` : 'occurredAt',
      message: `is after ${new Date(latest).toISOString()}, the latest the server's clock allows: events may not be dated in the future`,
    });
  });
  return issues;
}

/**
 * `application/json`, in UTF-8 (RFC 8259 allows no other encoding): a charset parameter naming
 * another one is refused here rather than its text decoded wrongly.
 */
function isJson(contentType: string | undefined): boolean {
  const [mediaType, ...parameters] = (contentType ?? '').split(';').map((part) => part.trim().toLowerCase());
  if (mediaType !== 'application/json') return false;
  const charset = parameters.find((parameter) => parameter.startsWith('charset='))?.slice('charset='.length);
  return charset === undefined || ['utf-8', 'utf8', '"utf-8"'].includes(charset);
}

// Fatal: bytes that are not UTF-8 refuse the request; Buffer#toString would store U+FFFD instead.
const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

function checkSignature(
  request: FastifyRequest,
  raw: Buffer,
  signature: NonNullable<EventsRouteOptions['signature']>,
  nowMs: number,
): void {
  const check = verifyWebhookSignature({
    secret: signature.secret,
    timestamp: singleHeader(request.headers[TIMESTAMP_HEADER]),
    signature: singleHeader(request.headers[SIGNATURE_HEADER]),
    body: raw,
    nowMs,
    toleranceMs: signature.toleranceMs,
  });
  if (check.ok) return;
  const windowSeconds = Math.round(signature.toleranceMs / 1000);
  switch (check.reason) {
    case 'missing-signature':
      throw refusals.signature(
        'signature-missing',
        'bad-signature',
        `the ${SIGNATURE_HEADER} header is required`,
      );
    case 'missing-timestamp':
      throw refusals.signature(
        'signature-timestamp-missing',
        'bad-signature',
        `the ${TIMESTAMP_HEADER} header must hold the signing time in Unix seconds`,
      );
    case 'stale-timestamp':
      throw refusals.signature(
        'signature-timestamp-stale',
        'stale-timestamp',
        `the ${TIMESTAMP_HEADER} is more than ${windowSeconds} s from the server's clock (replay window)`,
      );
    case 'bad-signature':
      throw refusals.signature(
        'signature-mismatch',
        'bad-signature',
        `the ${SIGNATURE_HEADER} is not the HMAC-SHA256 of "<timestamp>.<body>" with the shared secret`,
      );
  }
}

function singleHeader(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

/**
 * The request's events, or a refusal naming every problem found: the schema's, the ids', and an
 * occurredAt after `latest` (epoch ms) on any event, valid or not.
 */
function parseEvents(raw: Buffer, latest: number): ActivityEvent[] {
  let text: string;
  try {
    text = utf8.decode(raw);
  } catch {
    throw refusals.malformedJson('it is not UTF-8');
  }
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch (error) {
    throw refusals.malformedJson((error as Error).message);
  }
  // Counted before validation so an oversized batch is refused as such (413), not as 1,000+ issues.
  const batch = (body as { events?: unknown } | null)?.events;
  if (Array.isArray(batch) && batch.length > maxEventsPerBatch) {
    throw refusals.tooManyEvents(batch.length, maxEventsPerBatch);
  }
  const batched = batch !== undefined;
  const result = parseWebhookBody(body);
  const sent = batched ? (Array.isArray(batch) ? batch : []) : [body];
  const tooLate = eventsAheadOf(result.ok ? result.events : sent, batched, latest);
  if (!result.ok) {
    const named = new Set(result.issues.map((issue) => issue.path));
    throw refusals.invalidEvents([...result.issues, ...tooLate.filter((issue) => !named.has(issue.path))]);
  }
  if (tooLate.length > 0) throw refusals.invalidEvents(tooLate);
  return result.events;
}

/** fastify's own refusals (size, content length) become webhook refusals, so they are counted too. */
function asRefusal(error: FastifyError): WebhookRefusal | undefined {
  if (error instanceof WebhookRefusal) return error;
  if (error instanceof ApiKeyRefusal) return refusals.apiKey(error);
  if (error.code === 'FST_ERR_CTP_BODY_TOO_LARGE') return refusals.bodyTooLarge(MAX_BODY_BYTES);
  if (error.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') return refusals.unsupportedMediaType(undefined);
  return undefined;
}
