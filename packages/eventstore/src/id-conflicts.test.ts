import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { idConflicts } from './id-conflicts.js';
import type { StreamAppend } from './plan-append.js';

const at = new Date('2026-01-01T00:00:00Z');
const append = (streamId: string, ...ids: string[]): StreamAppend => ({
  streamId,
  events: ids.map((id) => ({ id, type: 'email.opened', data: {}, occurredAt: at })),
});

describe('idConflicts', () => {
  it('names events whose id is stored, or earlier in the request, under another stream', () => {
    const stored = new Map([
      ['e1', 'lead-a'],
      ['e2', 'lead-b'],
    ]);
    expect(idConflicts([append('lead-a', 'e1', 'e2', 'e3'), append('lead-c', 'e3', 'e4')], stored)).toEqual([
      { eventId: 'e2', streamId: 'lead-a', storedStreamId: 'lead-b' },
      { eventId: 'e3', streamId: 'lead-c', storedStreamId: 'lead-a' },
    ]);
  });

  it('finds none in resends and redeliveries: every id back in its own stream', () => {
    const requests = fc.array(
      fc.record({
        stream: fc.constantFrom('s1', 's2', 's3'),
        ids: fc.uniqueArray(fc.string(), { maxLength: 5 }),
      }),
      { maxLength: 4 },
    );
    fc.assert(
      fc.property(requests, (parts) => {
        // Each id belongs to the stream of its first occurrence; resend exactly that.
        const owner = new Map<string, string>();
        for (const { stream, ids } of parts) for (const id of ids) if (!owner.has(id)) owner.set(id, stream);
        const byStream = new Map<string, string[]>();
        for (const [id, stream] of owner) byStream.set(stream, [...(byStream.get(stream) ?? []), id]);
        const resend = [...byStream].map(([stream, ids]) => append(stream, ...ids, ...ids));
        expect(idConflicts(resend, owner)).toEqual([]);
        expect(idConflicts(resend, new Map())).toEqual([]);
      }),
    );
  });
});
