import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { kafkaBrokers, uniqueTopicPrefix, useTestDatabase } from '../support/infra.js';
import { messagesOnTopic } from '../support/topic-messages.js';
import { INGEST_KEY, type IngestUnderTest, READ_ONLY_KEY, startIngest } from './support/ingest-harness.js';
import { type PostOptions, postEvents } from './support/webhook-client.js';

const HMAC_SECRET = 'whsec-0123456789abcdef0123456789abcdef';
const database = useTestDatabase();
const prefix = uniqueTopicPrefix();
let signed: IngestUnderTest;
let throttled: IngestUnderTest;

const goodEvent = {
  type: 'email.clicked',
  lead: { email: 'ada@example.com' },
  occurredAt: '2026-03-01T09:30:00Z',
  properties: { url: 'https://example.com/pricing' },
};

beforeAll(async () => {
  const common = { databaseUrl: database().url, brokers: kafkaBrokers(), topicPrefix: prefix };
  signed = await startIngest({ ...common, env: { INGEST_HMAC_SECRET: HMAC_SECRET } });
  throttled = await startIngest({
    ...common,
    env: { INGEST_RATE_LIMIT_BURST: '2', INGEST_RATE_LIMIT_PER_SECOND: '1', INGEST_RUN_CONSUMER: 'false' },
  });
});

afterAll(async () => {
  await signed?.close();
  await throttled?.close();
});

/** A well-formed request (key, content type, signature) carrying `body`; options override parts. */
function post(body: unknown, options: PostOptions = {}) {
  const raw = typeof body === 'string' || Buffer.isBuffer(body) ? body : JSON.stringify(body);
  return postEvents(signed.url, raw, {
    apiKey: INGEST_KEY,
    contentType: 'application/json',
    hmacSecret: HMAC_SECRET,
    ...options,
  });
}

function expectProblem(
  response: Awaited<ReturnType<typeof post>>,
  status: number,
  mentions: readonly string[],
) {
  expect(response.status).toBe(status);
  expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  expect(response.body).toMatchObject({ status, title: expect.any(String), type: expect.any(String) });
  const text = JSON.stringify(response.body);
  for (const mention of mentions) expect(text).toContain(mention);
}

function fieldPaths(response: Awaited<ReturnType<typeof post>>): string[] {
  return (response.body.errors as { path: string }[]).map((error) => error.path);
}

describe('POST /v1/events refuses bad input with problem+json and publishes nothing', () => {
  it('missing fields: names each one', async () => {
    const response = await post({ type: 'email.opened' });
    expectProblem(response, 400, ['lead', 'occurredAt']);
    expect(fieldPaths(response)).toEqual(expect.arrayContaining(['lead', 'occurredAt']));
  });

  it('wrong types: names each field', async () => {
    const response = await post({ ...goodEvent, lead: 'ada@example.com', properties: [1, 2], source: 7 });
    expectProblem(response, 400, ['lead', 'properties', 'source']);
  });

  it('bad dates: an impossible date and a local time without offset', async () => {
    const impossible = await post({ ...goodEvent, occurredAt: '2026-02-30T10:00:00Z' });
    expectProblem(impossible, 400, ['occurredAt']);
    const local = await post({ ...goodEvent, occurredAt: '2026-03-01T09:30:00' });
    expectProblem(local, 400, ['occurredAt', 'offset']);
  });

  it('a batch with one bad event is refused whole, naming events[i].path', async () => {
    const response = await post({
      events: [
        goodEvent,
        { ...goodEvent, lead: { email: 'not-an-email' } },
        { ...goodEvent, type: 'email.open' },
      ],
    });
    expectProblem(response, 400, ['events[1].lead.email', 'events[2].type']);
    expect(fieldPaths(response)).toEqual(['events[1].lead.email', 'events[2].type']);
  });

  it('malformed JSON', async () => {
    expectProblem(await post('{"type": "email.opened",'), 400, ['not valid JSON']);
  });

  it('bytes that are not UTF-8, or a charset other than UTF-8: refused, never stored as U+FFFD', async () => {
    const latin1 = Buffer.from(JSON.stringify({ ...goodEvent, properties: { name: 'José' } }), 'latin1');
    expectProblem(await post(latin1), 400, ['not valid JSON', 'not UTF-8']);
    expectProblem(await post(goodEvent, { contentType: 'application/json; charset=iso-8859-1' }), 415, [
      'application/json',
      'iso-8859-1',
    ]);
    // UTF-8 named is fine: this one is refused for its missing fields only.
    const named = await post(
      { ...goodEvent, type: undefined },
      { contentType: 'application/json; charset=UTF-8' },
    );
    expect(named.status).toBe(400);
  });

  it('ids a caller may not choose: a stage change’s, or a derived id on another event', async () => {
    const response = await post({
      events: [
        { ...goodEvent, id: 'stg_f4c94b7fc3ea016461e39ad8e3b618b1' },
        { ...goodEvent, id: 'evt_00000000000000000000000000000000' },
      ],
    });
    expectProblem(response, 400, ['name stage changes', 'derived from an event']);
    expect(fieldPaths(response)).toEqual(['events[0].id', 'events[1].id']);
  });

  it('too large: a body over 1 MiB, and a batch over 1,000 events', async () => {
    const padding = 'x'.repeat(1024 * 1024);
    expectProblem(await post({ ...goodEvent, properties: { padding } }), 413, ['1048576 bytes']);
    const events = Array.from({ length: 1_001 }, (_, i) => ({ ...goodEvent, id: `e-${i}` }));
    expectProblem(await post({ events }), 413, ['1001 events', 'at most 1000']);
  });

  it('wrong content type, or none', async () => {
    expectProblem(await post(goodEvent, { contentType: 'text/plain' }), 415, [
      'application/json',
      'text/plain',
    ]);
    expectProblem(await post(goodEvent, { contentType: 'application/x-www-form-urlencoded' }), 415, [
      'application/json',
    ]);
  });

  it('bad signature: signed with another secret, over another body, or missing', async () => {
    const otherSecret = await post(goodEvent, { hmacSecret: 'another-secret-0123456789abcdef0123' });
    expectProblem(otherSecret, 401, ['signature-mismatch', 'HMAC-SHA256']);
    const timestamp = String(Math.floor(Date.now() / 1000));
    const unsigned = await postEvents(signed.url, JSON.stringify(goodEvent), {
      apiKey: INGEST_KEY,
      contentType: 'application/json',
      headers: { 'x-leadscore-timestamp': timestamp },
    });
    expectProblem(unsigned, 401, ['signature-missing', 'x-leadscore-signature']);
  });

  it('stale timestamp: a correctly signed request outside the replay window', async () => {
    const tenMinutesAgo = Math.floor(Date.now() / 1000) - 600;
    expectProblem(await post(goodEvent, { signedAt: tenMinutesAgo }), 401, [
      'signature-timestamp-stale',
      '300 s',
    ]);
  });

  it('no key, an unknown key, a key without the ingest scope', async () => {
    const none = await post(goodEvent, { apiKey: undefined });
    expectProblem(none, 401, ['api-key-missing', 'Bearer']);
    expect(none.headers.get('www-authenticate')).toMatch(/^Bearer/);
    expectProblem(await post(goodEvent, { apiKey: 'guessed-key' }), 401, ['api-key-invalid']);
    expectProblem(await post(goodEvent, { apiKey: READ_ONLY_KEY }), 403, ['dashboard', 'ingest']);
  });

  it('rate limited: 429 with Retry-After once the key used its burst', async () => {
    const send = () =>
      postEvents(throttled.url, JSON.stringify({ ...goodEvent, occurredAt: 'not a date' }), {
        apiKey: INGEST_KEY,
        contentType: 'application/json',
      });
    const statuses = [(await send()).status, (await send()).status];
    expect(statuses).toEqual([400, 400]);
    const limited = await send();
    expectProblem(limited, 429, ['rate-limited', 'esp']);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
  });

  it('instants PostgreSQL cannot store: year 0, or a five-digit year once the offset is applied', async () => {
    const yearZero = await post({ ...goodEvent, occurredAt: '0000-01-01T00:00:00Z' });
    expectProblem(yearZero, 400, ['occurredAt', '0001-01-01']);
    const beforeYearOne = await post({ ...goodEvent, occurredAt: '0001-01-01T00:00:00+01:00' });
    expectProblem(beforeYearOne, 400, ['occurredAt']);
    const afterYear9999 = await post({ ...goodEvent, occurredAt: '9999-12-31T23:59:59-05:00' });
    expectProblem(afterYear9999, 400, ['occurredAt', '9999-12-31']);
  });

  it('events dated in the future, beyond the sender clock tolerance', async () => {
    const inAnHour = new Date(Date.now() + 3_600_000).toISOString();
    const single = await post({ ...goodEvent, occurredAt: inAnHour });
    expectProblem(single, 400, ['occurredAt', 'future']);
    expect(fieldPaths(single)).toEqual(['occurredAt']);
    const batch = await post({ events: [goodEvent, { ...goodEvent, id: 'late', occurredAt: inAnHour }] });
    expect(fieldPaths(batch)).toEqual(['events[1].occurredAt']);
    // Named beside the batch's other problems, not only once they are mended.
    const withOthers = await post({
      events: [
        { ...goodEvent, id: 'odd', colour: 'blue' },
        { ...goodEvent, id: 'late', occurredAt: inAnHour },
      ],
    });
    expect(fieldPaths(withOthers).sort()).toEqual(['events[0].colour', 'events[1].occurredAt']);
  });

  it('text PostgreSQL cannot store: a lone surrogate in a value, a key or a campaign source', async () => {
    const inValue = await post(
      `{"type":"page.visited","lead":{"id":"s-1"},"occurredAt":"2026-03-01T09:30:00Z","properties":{"x":"\\ud800"}}`,
    );
    expectProblem(inValue, 400, ['properties.x', 'surrogate']);
    const inKey = await post(
      `{"type":"page.visited","lead":{"id":"s-1"},"occurredAt":"2026-03-01T09:30:00Z","traits":{"\\udc00":1}}`,
    );
    expectProblem(inKey, 400, ['traits', 'surrogate']);
    const inSource = await post(
      `{"type":"page.visited","lead":{"id":"s-1"},"occurredAt":"2026-03-01T09:30:00Z","source":{"utmSource":"a\\ud800"}}`,
    );
    expectProblem(inSource, 400, ['source.utmSource']);
  });

  it('properties nested too deep, however deep, and a __proto__ key', async () => {
    const nest = (depth: number) => `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`;
    const body = (depth: number) =>
      `{"type":"page.visited","lead":{"id":"d-1"},"occurredAt":"2026-03-01T09:30:00Z","properties":${nest(depth)}}`;
    expectProblem(await post(body(33)), 400, ['properties', 'at most 32 levels']);
    expectProblem(await post(body(20_000)), 400, ['properties', 'at most 32 levels']);
    const proto = await post(
      `{"type":"page.visited","lead":{"id":"d-1"},"occurredAt":"2026-03-01T09:30:00Z","properties":{"__proto__":{"x":1}}}`,
    );
    expectProblem(proto, 400, ['properties.__proto__']);
  });

  it('two different events under one id in a batch (the second would never be stored)', async () => {
    const twins = await post({
      events: [
        { ...goodEvent, id: 'twin' },
        { ...goodEvent, id: 'twin', type: 'email.opened' },
      ],
    });
    expectProblem(twins, 400, ['events[1].id', 'events[0]']);
  });

  it('none of the refused requests reached Kafka, and a good one does', async () => {
    expect(await messagesOnTopic(kafkaBrokers(), signed.topics.activity)).toBe(0);
    const accepted = await post(goodEvent);
    expect(accepted.status).toBe(202);
    expect(accepted.body).toEqual({ accepted: 1, ids: [expect.stringMatching(/^evt_[0-9a-f]{32}$/)] });
    expect(await messagesOnTopic(kafkaBrokers(), signed.topics.activity)).toBe(1);
  });

  it('serves its OpenAPI document, the committed openapi/webhook.json, without a key', async () => {
    const response = await fetch(`${signed.url}/openapi.json`);
    expect(response.status).toBe(200);
    const committed = await readFile(new URL('../../openapi/webhook.json', import.meta.url), 'utf8');
    expect(await response.json()).toEqual(JSON.parse(committed));
  });

  it('counts refusals by reason in /metrics', async () => {
    const metrics = await signed.metrics.metrics();
    for (const reason of [
      'invalid-event',
      'too-large',
      'unsupported-media-type',
      'bad-signature',
      'stale-timestamp',
    ]) {
      expect(metrics).toMatch(
        new RegExp(`leadscore_ingest_requests_refused_total\\{reason="${reason}"[^}]*\\} [1-9]`),
      );
    }
  });
});
