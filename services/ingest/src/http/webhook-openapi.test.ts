import { readFile } from 'node:fs/promises';
import { parseWebhookBody } from '@leadscore/contracts';
import { ApiKeyRefusal, type ApiKeyRefusalCode, SHUTTING_DOWN_PROBLEM } from '@leadscore/platform';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import { refusals, type WebhookRefusal } from './webhook-errors.js';
import {
  buildWebhookOpenApiDocument,
  renderWebhookOpenApiDocument,
  WEBHOOK_OPENAPI_PATH,
  WEBHOOK_PROBLEMS,
} from './webhook-openapi.js';

const committedPath = new URL(`../../../../${WEBHOOK_OPENAPI_PATH}`, import.meta.url);

interface Document {
  paths: Record<string, { post: PostOperation }>;
  components: { schemas: Record<string, unknown> };
}

interface PostOperation {
  requestBody: { content: { 'application/json': { examples: Record<string, { value: unknown }> } } };
  responses: Record<string, unknown>;
}

const document = buildWebhookOpenApiDocument() as unknown as Document;
const operation = document.paths['/v1/events']!.post;
const examples = Object.entries(operation.requestBody.content['application/json'].examples);

/** A refusal of each kind the route can make, with arguments of the right shape. */
const apiKeyCodes: readonly ApiKeyRefusalCode[] = [
  'api-key-missing',
  'api-key-invalid',
  'api-key-scope-missing',
];
const sampleRefusals: Record<keyof typeof refusals, () => WebhookRefusal[]> = {
  apiKey: () => apiKeyCodes.map((code) => refusals.apiKey(new ApiKeyRefusal(code, 'title', 'detail'))),
  rateLimited: () => [refusals.rateLimited('key', 1)],
  unsupportedMediaType: () => [refusals.unsupportedMediaType('text/plain')],
  bodyTooLarge: () => [refusals.bodyTooLarge(1)],
  tooManyEvents: () => [refusals.tooManyEvents(2, 1)],
  signature: () =>
    [
      'signature-missing',
      'signature-timestamp-missing',
      'signature-timestamp-stale',
      'signature-mismatch',
    ].map((code) => refusals.signature(code, 'bad-signature', 'detail')),
  malformedJson: () => [refusals.malformedJson('Unexpected token')],
  invalidEvents: () => [refusals.invalidEvents([{ path: 'lead', message: 'lead needs an id or an email' }])],
  kafkaUnavailable: () => [refusals.kafkaUnavailable()],
};

describe('openapi/webhook.json', () => {
  it('is the document the webhook generates (run `pnpm openapi` and commit it when this fails)', async () => {
    const committed = await readFile(committedPath, 'utf8');
    expect(committed).toBe(renderWebhookOpenApiDocument(buildWebhookOpenApiDocument()));
  });

  it('lists every refusal the route can answer, under its status', () => {
    expect(Object.keys(sampleRefusals).sort()).toEqual(Object.keys(refusals).sort());
    const made = Object.values(sampleRefusals).flatMap((sample) => sample());
    for (const refusal of made) {
      expect(
        WEBHOOK_PROBLEMS[refusal.status]?.[refusal.code],
        `${refusal.status} ${refusal.code}`,
      ).toBeDefined();
      expect(operation.responses[String(refusal.status)]).toBeDefined();
    }
    const listed = Object.entries(WEBHOOK_PROBLEMS).flatMap(([status, codes]) =>
      Object.keys(codes).map((code) => `${status} ${code}`),
    );
    // Besides the route's refusals, the shared HTTP app's answer to a request that comes while it closes.
    const answeredByTheApp = [`503 ${SHUTTING_DOWN_PROBLEM}`];
    expect(listed.sort()).toEqual(
      [...made.map((refusal) => `${refusal.status} ${refusal.code}`), ...answeredByTheApp].sort(),
    );
  });

  it('has examples the webhook accepts, and that its schemas accept', () => {
    const ajv = new Ajv2020({ strict: false, validateFormats: false, allErrors: true });
    ajv.addSchema(document, 'webhook');
    const event = ajv.getSchema('webhook#/components/schemas/ActivityEvent')!;
    const batch = ajv.getSchema('webhook#/components/schemas/EventBatch')!;
    expect(examples.length).toBeGreaterThan(0);
    for (const [name, { value }] of examples) {
      expect(parseWebhookBody(value).ok, name).toBe(true);
      expect(event(value) || batch(value), `${name}: ${ajv.errorsText(event.errors)}`).toBe(true);
    }
  });

  it('has schemas that refuse what the webhook refuses', () => {
    const ajv = new Ajv2020({ strict: false, validateFormats: false, allErrors: true });
    ajv.addSchema(document, 'webhook');
    const event = ajv.getSchema('webhook#/components/schemas/ActivityEvent')!;
    const valid = { type: 'email.opened', lead: { id: 'crm-1' }, occurredAt: '2026-03-02T09:15:00Z' };
    const refused = [
      { ...valid, type: 'email.open' },
      { ...valid, lead: {} },
      { ...valid, occurredAt: '2026-03-02T09:15:00' },
      { ...valid, lead: { id: ' spaced' } },
      { ...valid, extra: true },
    ];
    expect(event(valid)).toBe(true);
    for (const body of refused) {
      expect(parseWebhookBody(body).ok, JSON.stringify(body)).toBe(false);
      expect(event(body), JSON.stringify(body)).toBe(false);
    }
  });
});
