import { leadEventSchema } from '@leadscore/contracts';
import type { Bus, OutgoingMessage } from '@leadscore/kafka';
import { describe, expect, it } from 'vitest';
import { leadEventsRoute } from './lead-events-route.js';
import { publishBatch } from './relay.js';
import type { RecordedEvent } from './types.js';

function recorded(streamId: string, type: string, position: number): RecordedEvent {
  return {
    eventId: `${streamId}-${position}`,
    streamId,
    streamPosition: position,
    globalPosition: BigInt(position * 10),
    transactionId: 900n,
    type,
    data: { email: 'ann@example.com', properties: { url: '/demo' } },
    metadata: null,
    occurredAt: new Date('2024-05-01T10:00:00Z'),
    recordedAt: new Date('2024-05-01T10:00:02Z'),
  };
}

/** Records what was published, as the relay hands it over; nothing else of a bus is needed here. */
function recordingBus(): Bus & { published: { topic: string; messages: readonly OutgoingMessage[] }[] } {
  const published: { topic: string; messages: readonly OutgoingMessage[] }[] = [];
  const unused = () => Promise.reject(new Error('not used by the relay'));
  return {
    published,
    publish: async (topic, messages) => {
      published.push({ topic, messages });
    },
    subscribe: unused,
    ensureTopics: unused,
    healthCheck: unused,
    close: async () => {},
  };
}

describe('relay routing', () => {
  const route = leadEventsRoute({ topic: 'p.leadscore.lead-events.v1', source: '/test' });

  it('publishes activity and profile events of lead streams keyed by lead id, in batch order', async () => {
    const bus = recordingBus();
    await publishBatch(
      bus,
      [route],
      [
        recorded('lead-L1', 'email.opened', 1),
        recorded('lead-L2', 'profile.updated', 1),
        recorded('lead-L1', 'custom.trial_started', 2),
        recorded('ruleset-1', 'email.opened', 1),
        recorded('lead-L1', 'LeadStageChanged', 3),
      ],
    );
    expect(bus.published).toHaveLength(1);
    const [{ topic, messages }] = bus.published as [(typeof bus.published)[number]];
    expect(topic).toBe('p.leadscore.lead-events.v1');
    expect(messages.map((m) => [m.key, m.headers?.ce_id])).toEqual([
      ['L1', 'lead-L1-1'],
      ['L2', 'lead-L2-1'],
      ['L1', 'lead-L1-2'],
    ]);
  });

  it('writes a LeadEvent value and CloudEvents headers', () => {
    const routed = route(recorded('lead-L1', 'email.opened', 4));
    expect(routed?.message.headers).toEqual({
      ce_specversion: '1.0',
      ce_id: 'lead-L1-4',
      ce_type: 'io.leadscore.email.opened',
      ce_source: '/test',
      ce_subject: 'L1',
      ce_time: '2024-05-01T10:00:00.000Z',
      'content-type': 'application/json',
    });
    expect(leadEventSchema.parse(JSON.parse(String(routed?.message.value)))).toEqual({
      eventId: 'lead-L1-4',
      leadId: 'L1',
      type: 'email.opened',
      occurredAt: '2024-05-01T10:00:00.000Z',
      recordedAt: '2024-05-01T10:00:02.000Z',
      globalPosition: '40',
      streamPosition: 4,
      data: { email: 'ann@example.com', properties: { url: '/demo' } },
    });
  });

  it('lets a later route take what the first one leaves, and fails the batch when publishing fails', async () => {
    const stages = (event: RecordedEvent) =>
      event.type === 'LeadStageChanged'
        ? { topic: 'stages', message: { key: event.streamId, value: '{}' } }
        : undefined;
    const bus = recordingBus();
    await publishBatch(bus, [route, stages], [recorded('lead-L1', 'LeadStageChanged', 1)]);
    expect(bus.published.map((p) => p.topic)).toEqual(['stages']);
    const failing = { ...bus, publish: () => Promise.reject(new Error('broker down')) };
    await expect(publishBatch(failing, [route], [recorded('lead-L1', 'email.opened', 1)])).rejects.toThrow(
      'broker down',
    );
  });

  it('publishes a large page in chunks of at most 500 messages, all queued before any is acknowledged', async () => {
    const bus = recordingBus();
    let pending = 0;
    let mostPending = 0;
    const slowBus: Bus = {
      ...bus,
      publish: async (topic, messages) => {
        pending += 1;
        mostPending = Math.max(mostPending, pending);
        await new Promise((resolve) => setImmediate(resolve));
        await bus.publish(topic, messages);
        pending -= 1;
      },
    };
    const page = Array.from({ length: 1_201 }, (_, index) => recorded('lead-L1', 'page.visited', index + 1));

    await publishBatch(slowBus, [route], page);

    expect(bus.published.map(({ messages }) => messages.length)).toEqual([500, 500, 201]);
    expect(mostPending).toBe(3);
    const order = bus.published.flatMap(({ messages }) => messages.map((message) => message.headers?.ce_id));
    expect(order).toEqual(page.map((event) => event.eventId));
  });
});
