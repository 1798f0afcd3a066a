import { readFile } from 'node:fs/promises';
import {
  activityMessageSchema,
  alertIdOf,
  cloudEventType,
  scoreChangedMessageSchema,
  stageChangedCloudEventType,
  stageChangedMessageSchema,
  toCloudEventHeaders,
  topics,
} from '@leadscore/contracts';
import { describe, expect, it } from 'vitest';
import { ASYNCAPI_PATH, buildAsyncApiDocument } from './asyncapi-document.js';
import { renderAsyncApiDocument } from './render-asyncapi.js';
import { createMessageValidator } from './validate-message.js';

const document = buildAsyncApiDocument();
const checkMessage = createMessageValidator(document);
const prefixed = topics('staging.');

const activity = activityMessageSchema.parse({
  id: 'evt-1',
  type: 'page.visited',
  lead: { id: 'lead-1', email: 'ann@acme.io' },
  occurredAt: '2026-05-01T10:00:00Z',
  receivedAt: '2026-05-01T10:00:01Z',
  source: { utmSource: 'newsletter' },
  properties: { url: '/pricing', nested: { depth: [1, 'two', null] } },
});
const snapshot = { engagement: 40, fit: 35, total: 75, grade: 'A', temperature: 'hot' } as const;
const stageChange = stageChangedMessageSchema.parse({
  id: 'stage-1',
  leadId: 'lead-1',
  from: 'lead',
  to: 'mql',
  reason: 'threshold',
  occurredAt: '2026-05-01T10:00:00.000Z',
  score: { engagement: 40, fit: 35, total: 75, temperature: 'hot' },
  grade: 'A',
  rulesetId: 'default',
  rulesetVersion: 1,
  triggeringEventId: 'evt-1',
});
const ceHeaders = (type: string) =>
  toCloudEventHeaders({
    id: 'stage-1',
    type,
    source: '/leadscore/projector',
    subject: 'lead-1',
    time: stageChange.occurredAt,
  });

const samples = [
  {
    topic: prefixed.activity,
    message: { key: 'lead-1', value: JSON.stringify(activity), headers: { 'x-leadscore-api-key-id': 'esp' } },
  },
  {
    topic: prefixed.activityDlq,
    message: {
      key: 'lead-1',
      value: '{not json',
      headers: {
        'x-dlq-reason': 'invalid-json',
        'x-dlq-error': 'Unexpected token n',
        'x-dlq-source-topic': prefixed.activity,
        'x-dlq-source-partition': '3',
        'x-dlq-source-offset': '42',
      },
    },
  },
  {
    topic: prefixed.leadEvents,
    message: {
      key: 'lead-1',
      value: JSON.stringify({
        eventId: 'evt-1',
        leadId: 'lead-1',
        type: 'page.visited',
        occurredAt: '2026-05-01T10:00:00.000Z',
        recordedAt: '2026-05-01T10:00:02.000Z',
        globalPosition: '17',
        streamPosition: 3,
        data: { email: 'ann@acme.io', properties: { url: '/pricing' } },
      }),
      headers: ceHeaders(cloudEventType('page.visited')),
    },
  },
  {
    topic: prefixed.scoreChanged,
    message: {
      key: 'lead-1',
      value: JSON.stringify(
        scoreChangedMessageSchema.parse({
          leadId: 'lead-1',
          eventId: 'evt-1',
          globalPosition: '17',
          rulesetId: 'default',
          rulesetVersion: 1,
          occurredAt: '2026-05-01T10:00:00Z',
          scoredAt: '2026-05-01T10:00:00Z',
          recomputed: false,
          computedAt: '2026-05-01T10:00:03Z',
          old: null,
          new: snapshot,
          changes: ['score'],
          signals: { twoWay: false, twoWayAt: null },
          nextCrossingAt: null,
        }),
      ),
      headers: {},
    },
  },
  {
    topic: prefixed.stageChanged,
    message: {
      key: 'lead-1',
      value: JSON.stringify(stageChange),
      headers: ceHeaders(stageChangedCloudEventType),
    },
  },
  {
    topic: prefixed.alerts,
    message: {
      key: 'lead-1',
      value: JSON.stringify({
        alertId: alertIdOf('evt-1', 'pivotal-page-visited'),
        leadId: 'lead-1',
        eventId: 'evt-1',
        ruleId: 'pivotal-page-visited',
        url: '/pricing',
        temperature: 'warm',
        score: 42,
        occurredAt: '2026-05-01T10:00:00.000Z',
        rulesetId: 'default',
        rulesetVersion: 1,
      }),
      headers: {},
    },
  },
];

describe('openapi/asyncapi.yaml', () => {
  it('is the document the contracts generate (run `pnpm openapi` and commit it when this fails)', async () => {
    const committed = await readFile(new URL(`../../../../${ASYNCAPI_PATH}`, import.meta.url), 'utf8');
    expect(committed).toBe(renderAsyncApiDocument(document));
  });

  it('is AsyncAPI 3.0 with one channel per topic of topics(), each sent and received', () => {
    expect(document.asyncapi).toBe('3.0.0');
    expect(Object.keys(document.channels).sort()).toEqual(Object.keys(topics()).sort());
    expect(
      Object.values(document.channels)
        .map((channel) => channel.address)
        .sort(),
    ).toEqual(Object.values(topics()).sort());
    expect(Object.keys(document.operations)).toHaveLength(2 * Object.keys(topics()).length);
  });

  it('accepts a valid message of every topic, whatever the topic prefix', () => {
    expect(samples.map((sample) => sample.topic).sort()).toEqual(Object.values(prefixed).sort());
    for (const { topic, message } of samples) {
      expect(checkMessage(topic, message), topic).toMatchObject({ problems: [] });
    }
  });

  it('names what is wrong with a message that breaks its schemas: payload, key or headers', () => {
    const [activitySample, , leadEventSample, , stageSample] = samples;
    const withoutId = { ...activity, id: undefined };
    expect(
      checkMessage(prefixed.activity, { ...activitySample!.message, value: JSON.stringify(withoutId) })
        .problems,
    ).toEqual(["payload must have required property 'id'"]);
    expect(
      checkMessage(prefixed.activity, { ...activitySample!.message, key: 'no spaces allowed' }).problems,
    ).toEqual([expect.stringMatching(/^key must match pattern/)]);
    expect(
      checkMessage(prefixed.stageChanged, {
        ...stageSample!.message,
        headers: { ...stageSample!.message.headers, ce_type: 'io.leadscore.page.visited' },
      }).problems,
    ).toEqual(['headers/ce_type must be equal to constant']);
    expect(
      checkMessage(prefixed.leadEvents, {
        ...leadEventSample!.message,
        value: JSON.stringify({ eventId: 'x' }),
      }).problems.length,
    ).toBeGreaterThan(3);
    expect(checkMessage('other.topic', activitySample!.message).channel).toBeUndefined();
  });
});
