import { fromCloudEventHeaders, stageChangedMessageSchema } from '@leadscore/contracts';
import { describe, expect, it } from 'vitest';
import { leadEventsRoute } from './lead-events-route.js';
import { routeBatch } from './relay-route.js';
import { leadStageChangedEventType, stageChangedRoute } from './stage-changed-route.js';
import type { RecordedEvent } from './types.js';

const change = {
  id: 'stg_1',
  leadId: 'L1',
  email: 'ann@example.com',
  from: 'lead',
  to: 'mql',
  reason: 'threshold',
  occurredAt: '2024-05-01T10:00:00.000Z',
  score: { engagement: 45, fit: 10, total: 55, temperature: 'hot' },
  grade: 'C',
  rulesetId: 'default',
  rulesetVersion: 1,
  triggeringEventId: 'ev-9',
};

function recorded(streamId: string, type: string, data: unknown): RecordedEvent {
  return {
    eventId: 'stg_1',
    streamId,
    streamPosition: 3,
    globalPosition: 30n,
    transactionId: 900n,
    type,
    data,
    metadata: null,
    occurredAt: new Date('2024-05-01T10:00:00Z'),
    recordedAt: new Date('2024-05-01T10:00:02Z'),
  };
}

describe('stage-changed relay route', () => {
  const route = stageChangedRoute({ topic: 'p.leadscore.stage-changed.v1' });

  it('publishes a stage change as a CloudEvent keyed by lead id with the stored id', () => {
    const routed = route(recorded('lead-L1', leadStageChangedEventType, change));
    expect(routed?.topic).toBe('p.leadscore.stage-changed.v1');
    expect(routed?.message.key).toBe('L1');
    expect(fromCloudEventHeaders(routed?.message.headers ?? {})).toEqual({
      id: 'stg_1',
      type: 'com.leadscore.lead.stage_changed.v1',
      source: '/leadscore/projector',
      subject: 'L1',
      time: '2024-05-01T10:00:00.000Z',
      dataContentType: 'application/json',
    });
    expect(stageChangedMessageSchema.parse(JSON.parse(String(routed?.message.value)))).toEqual(change);
  });

  it('leaves activity events and other streams alone, and activity routes leave stage changes alone', () => {
    expect(route(recorded('lead-L1', 'email.opened', {}))).toBeUndefined();
    expect(route(recorded('ruleset-1', leadStageChangedEventType, change))).toBeUndefined();
    const activity = leadEventsRoute({ topic: 'events' });
    const { byTopic } = routeBatch(
      [recorded('lead-L1', leadStageChangedEventType, change)],
      [activity, route],
    );
    expect([...byTopic.keys()]).toEqual(['p.leadscore.stage-changed.v1']);
  });

  it('refuses to publish a stage change that breaks the contract', () => {
    expect(() => route(recorded('lead-L1', leadStageChangedEventType, { ...change, to: 'won' }))).toThrow(
      /to/,
    );
  });
});
