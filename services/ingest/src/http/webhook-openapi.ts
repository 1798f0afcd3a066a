import {
  activityEventSchema,
  eventBatchSchema,
  MAX_JSON_DEPTH,
  maxEventsPerBatch,
} from '@leadscore/contracts';
import { PROBLEM_CONTENT_TYPE, ProblemSchema, SHUTTING_DOWN_PROBLEM } from '@leadscore/platform';
import { z } from 'zod';
import { INGEST_SCOPE, MAX_BODY_BYTES } from './events-route.js';
import { SIGNATURE_HEADER, TIMESTAMP_HEADER } from './hmac-signature.js';

/** Where the committed document lives, from the repository root. */
export const WEBHOOK_OPENAPI_PATH = 'openapi/webhook.json';

/** The 202 answer of `POST /v1/events`. */
export const webhookAcceptedSchema = z.strictObject({
  accepted: z.int().min(1).max(maxEventsPerBatch).describe('How many events were accepted: all of them'),
  ids: z
    .array(z.string())
    .describe("The events' ids, in the order sent: each one's own id, or the one derived from it"),
});

type WebhookAcceptedJson = z.infer<typeof webhookAcceptedSchema>;
export type WebhookAccepted = { readonly [K in keyof WebhookAcceptedJson]: Readonly<WebhookAcceptedJson[K]> };

/**
 * Every problem the webhook answers, by status: the problem type's slug (`urn:leadscore:problem:<slug>`)
 * and when. webhook-openapi.test.ts checks that each refusal the route can make is listed here,
 * and the shared HTTP app's own answers (packages/platform: shutting down).
 */
export const WEBHOOK_PROBLEMS: Readonly<Record<number, Readonly<Record<string, string>>>> = {
  400: {
    'malformed-json': 'the body is not JSON',
    validation: 'an event is invalid; `errors` names every bad field (e.g. `events[3].lead.email`)',
  },
  401: {
    'api-key-missing': 'no `Authorization: Bearer <key>` header',
    'api-key-invalid': 'the key matches no configured key',
    'signature-missing': `signing is on and the ${SIGNATURE_HEADER} header is absent`,
    'signature-timestamp-missing': `signing is on and the ${TIMESTAMP_HEADER} header is absent`,
    'signature-timestamp-stale': `the ${TIMESTAMP_HEADER} is outside the replay window`,
    'signature-mismatch': 'the signature is not that of the timestamp and body',
  },
  403: { 'api-key-scope-missing': `the key lacks the \`${INGEST_SCOPE}\` scope` },
  413: {
    'body-too-large': `the body is over ${MAX_BODY_BYTES} bytes`,
    'too-many-events': `the batch holds more than ${maxEventsPerBatch} events`,
  },
  415: { 'unsupported-media-type': 'the content type is not application/json' },
  429: { 'rate-limited': "the key's request rate is exceeded; `Retry-After` says when to retry" },
  503: {
    'event-log-unavailable': 'Kafka did not acknowledge the events; retry after `Retry-After` seconds',
    [SHUTTING_DOWN_PROBLEM]:
      'the instance is shutting down (a restart, a scale-in) and took nothing from the request; retry after `Retry-After` seconds, on a new connection (`Connection: close`)',
  },
};

type JsonSchema = Record<string, unknown>;

/**
 * The contracts' event schemas as OpenAPI 3.1 components (JSON Schema 2020-12), as a sender
 * writes them: the batch refers to the event, and the free-form JSON values of properties and
 * traits are one component of their own.
 */
function eventComponents(): Record<string, JsonSchema> {
  const registry = z.registry<{ id: string }>();
  registry.add(activityEventSchema, { id: 'ActivityEvent' });
  registry.add(eventBatchSchema, { id: 'EventBatch' });
  const { schemas } = z.toJSONSchema(registry, {
    target: 'draft-2020-12',
    io: 'input',
    unrepresentable: 'any',
    uri: (id) => `#/components/schemas/${id}`,
  });
  // zod gathers shared definitions under `__shared`: here only the recursive JSON value of
  // properties and traits, which becomes a component of its own.
  const { __shared: shared, ...named } = schemas as Record<string, JsonSchema>;
  const definitions = Object.entries((shared?.$defs ?? {}) as Record<string, JsonSchema>);
  if (definitions.length !== 1) throw new Error(`expected one shared definition, got ${definitions.length}`);
  const [[definition, jsonValue]] = definitions as [[string, JsonSchema]];
  const text = JSON.stringify({ ...named, JsonValue: jsonValue })
    .replaceAll(`"#/components/schemas/__shared#/$defs/${definition}"`, '"#/components/schemas/JsonValue"')
    .replace(/"\$schema":"[^"]*",/g, '')
    .replace(/"\$id":"[^"]*",/g, '');
  return JSON.parse(text);
}

const toSchema = (schema: z.ZodType): JsonSchema => {
  const { $schema: _dialect, ...json } = z.toJSONSchema(schema, { target: 'draft-2020-12', io: 'output' });
  return json;
};

const problemResponse = (status: number, problems: Readonly<Record<string, string>>) => ({
  description: Object.entries(problems)
    .map(([slug, when]) => `\`${slug}\`: ${when}`)
    .join('; '),
  content: { [PROBLEM_CONTENT_TYPE]: { schema: { $ref: '#/components/schemas/Problem' } } },
  ...(status === 429 || status === 503
    ? { headers: { 'Retry-After': { description: 'Seconds to wait', schema: { type: 'integer' } } } }
    : {}),
});

const DESCRIPTION = `How marketing tools send behavioural events to leadscore.

- **One event or a batch**: the body is one event, or \`{ "events": [...] }\` with 1 to ${maxEventsPerBatch} events, at most ${MAX_BODY_BYTES} bytes.
- **All or nothing**: when any event is invalid, nothing is accepted and the 400 answer names every bad field.
- **What is refused as invalid**, besides what the schemas say: an \`occurredAt\` later than the server's clock plus \`INGEST_FUTURE_TOLERANCE_SECONDS\` (default 300) or outside 0001-01-01 to 9999-12-31 in UTC; text holding U+0000 or an unpaired surrogate; properties or traits nesting deeper than ${MAX_JSON_DEPTH} levels or holding a \`__proto__\` key; two different events under one \`id\` in a batch; an \`id\` starting with \`stg_\` (stage changes' ids) or an \`evt_\` id other than the one derived from the event's own content. The body is UTF-8: bytes that are not are refused (400), and a \`charset\` other than UTF-8 gets 415.
- **Accepted means durable**: 202 is sent once Kafka acknowledged the events; they then reach the event store, and scores, exactly once.
- **Idempotent**: an event sent again with the same \`id\` is stored once. An event without an \`id\` gets one derived from its content, so an identical resend is stored once too. An id names one event: an event sent under an id already stored for another lead, or for another event of the same lead (another type, time or data), is not stored but dead-lettered (\`id-conflict\`).
- **Signed requests**: when the service has \`INGEST_HMAC_SECRET\`, every request carries \`${TIMESTAMP_HEADER}\` (Unix seconds) and \`${SIGNATURE_HEADER}: sha256=<hex>\`, the HMAC-SHA256 of \`<timestamp>.<body bytes>\` with that secret, and the timestamp must be within \`INGEST_SIGNATURE_TOLERANCE_SECONDS\` (default 300) of the server's clock.`;

/** The OpenAPI 3.1 document of the ingest service's webhook, from the schemas the route checks with. */
export function buildWebhookOpenApiDocument(): Record<string, unknown> {
  return {
    openapi: '3.1.0',
    info: { title: 'leadscore webhook', version: '1.0.0', description: DESCRIPTION },
    servers: [{ url: 'http://127.0.0.1:3001', description: 'the ingest service, as the quickstart runs it' }],
    security: [{ apiKey: [] }],
    paths: {
      '/v1/events': {
        post: {
          operationId: 'postEvents',
          summary: 'Send one event or a batch of events',
          parameters: [
            {
              name: TIMESTAMP_HEADER,
              in: 'header',
              required: false,
              description: 'Signed requests only: when the request was signed, in Unix seconds',
              schema: { type: 'string', pattern: '^[0-9]+$' },
            },
            {
              name: SIGNATURE_HEADER,
              in: 'header',
              required: false,
              description: 'Signed requests only: `sha256=` and the hex HMAC-SHA256 of `<timestamp>.<body>`',
              schema: { type: 'string', pattern: '^sha256=[0-9a-f]{64}$' },
            },
          ],
          requestBody: {
            required: true,
            content: {
              'application/json': {
                schema: {
                  oneOf: [
                    { $ref: '#/components/schemas/ActivityEvent' },
                    { $ref: '#/components/schemas/EventBatch' },
                  ],
                },
                examples: {
                  event: {
                    summary: 'One event',
                    value: {
                      id: 'esp-123',
                      type: 'email.clicked',
                      lead: { email: 'dana@acme.example' },
                      occurredAt: '2026-03-02T09:15:00Z',
                      properties: { url: 'https://acme.example/pricing' },
                    },
                  },
                  batch: {
                    summary: 'A batch',
                    value: {
                      events: [
                        {
                          type: 'page.visited',
                          lead: { id: 'crm-42' },
                          occurredAt: '2026-03-02T09:16:00+01:00',
                          properties: { url: 'https://acme.example/pricing' },
                          source: { utmSource: 'newsletter' },
                        },
                        {
                          type: 'profile.updated',
                          lead: { id: 'crm-42', email: 'dana@acme.example' },
                          occurredAt: '2026-03-02T09:17:00Z',
                          traits: { jobTitle: 'VP Marketing', companySize: 250 },
                        },
                      ],
                    },
                  },
                },
              },
            },
          },
          responses: {
            202: {
              description: 'Every event accepted (durably in Kafka)',
              content: { 'application/json': { schema: { $ref: '#/components/schemas/WebhookAccepted' } } },
            },
            ...Object.fromEntries(
              Object.entries(WEBHOOK_PROBLEMS).map(([status, problems]) => [
                status,
                problemResponse(Number(status), problems),
              ]),
            ),
          },
        },
      },
    },
    components: {
      schemas: {
        ...eventComponents(),
        WebhookAccepted: toSchema(webhookAcceptedSchema),
        Problem: toSchema(ProblemSchema),
      },
      securitySchemes: {
        apiKey: {
          type: 'http',
          scheme: 'bearer',
          description: `An API key with the \`${INGEST_SCOPE}\` scope, as "Authorization: Bearer <key>".`,
        },
      },
    },
  };
}

/** The document as committed: two-space JSON with a final newline, so diffs stay readable. */
export function renderWebhookOpenApiDocument(document: Record<string, unknown>): string {
  return `${JSON.stringify(document, null, 2)}\n`;
}
