import { emailLeadId } from '@leadscore/contracts';
import type { ConsumedMessage } from '@leadscore/kafka';
import { describe, expect, it } from 'vitest';
import { decodeActivityMessage } from './decode-activity-message.js';

const valid = {
  id: 'evt-1',
  type: 'email.opened',
  lead: { email: ' Ada@Example.COM ' },
  occurredAt: '2026-01-15T10:00:00+01:00',
  receivedAt: '2026-01-15T09:00:01Z',
};
const adaKey = emailLeadId('ada@example.com');

function consumed(value: string, key: string | null = adaKey): ConsumedMessage {
  return {
    topic: 'leadscore.activity.v1',
    partition: 0,
    offset: '7',
    key,
    value: Buffer.from(value),
    headers: {},
    timestamp: 0,
  };
}

describe('decodeActivityMessage', () => {
  it('reads a valid message, normalised, with its lead id', () => {
    const decoded = decodeActivityMessage(consumed(JSON.stringify(valid)));
    expect(decoded).toMatchObject({
      ok: true,
      leadId: adaKey,
      activity: { id: 'evt-1', lead: { email: 'ada@example.com' }, occurredAt: '2026-01-15T09:00:00.000Z' },
    });
  });

  it('refuses bytes that are not JSON', () => {
    expect(decodeActivityMessage(consumed('{"id":'))).toMatchObject({
      ok: false,
      rejection: { reason: 'invalid-json' },
    });
  });

  it('refuses a value failing the schema, naming each bad field', () => {
    const decoded = decodeActivityMessage(
      consumed(JSON.stringify({ ...valid, type: 'email.open', occurredAt: 5 })),
    );
    expect(decoded.ok).toBe(false);
    if (decoded.ok) return;
    expect(decoded.rejection.reason).toBe('invalid-event');
    expect(decoded.rejection.detail).toContain('type:');
    expect(decoded.rejection.detail).toContain('occurredAt:');
  });

  it('refuses a missing, malformed or foreign key', () => {
    for (const key of [null, '', 'has space', 'lead-of-someone-else']) {
      expect(decodeActivityMessage(consumed(JSON.stringify(valid), key))).toMatchObject({
        ok: false,
        rejection: { reason: 'invalid-lead-key' },
      });
    }
  });
});
