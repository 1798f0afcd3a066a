import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { StreamVersionConflictError } from './errors.js';
import { planAppend, type StreamAppend, satisfiesExpectedVersion } from './plan-append.js';
import type { NewEvent } from './types.js';

function event(id: string): NewEvent {
  return { id, type: 'page.visited', data: {}, occurredAt: new Date(0) };
}

const appendsArb = fc
  .uniqueArray(fc.constantFrom('s1', 's2', 's3', 's4'), { minLength: 1 })
  .chain((streams) =>
    fc.tuple(
      ...streams.map((streamId) =>
        fc
          .array(fc.constantFrom('e1', 'e2', 'e3', 'e4', 'e5', 'e6', 'e7', 'e8'), { maxLength: 6 })
          .map((ids): StreamAppend => ({ streamId, events: ids.map(event) })),
      ),
    ),
  );

describe('planAppend', () => {
  it('stores each id at most once, skips the rest, and gives every stream gap-free positions in order', () => {
    fc.assert(
      fc.property(
        appendsArb,
        fc.uniqueArray(fc.constantFrom('e1', 'e2', 'e3', 'e4', 'e5', 'e6', 'e7', 'e8')),
        fc.dictionary(fc.constantFrom('s1', 's2', 's3', 's4'), fc.nat(100)),
        (appends, stored, versions) => {
          const current = new Map(Object.entries(versions));
          const plan = planAppend(appends, new Set(stored), current);
          const plannedIds = plan.rows.map((row) => row.event.id);
          expect(new Set(plannedIds).size).toBe(plannedIds.length);
          for (const id of plannedIds) expect(stored).not.toContain(id);
          const requested = appends.flatMap((a) => a.events.map((e) => e.id));
          expect(plannedIds.length + plan.skippedEventIds.length).toBe(requested.length);
          for (const { streamId, events } of appends) {
            const rows = plan.rows.filter((row) => row.streamId === streamId);
            const base = current.get(streamId) ?? 0;
            expect(rows.map((row) => row.streamPosition)).toEqual(rows.map((_, i) => base + i + 1));
            // the order given is kept
            const given = events.map((e) => e.id).filter((id) => rows.some((row) => row.event.id === id));
            expect(rows.map((row) => row.event.id)).toEqual([...new Set(given)]);
            expect(plan.nextVersions.get(streamId)).toBe(base + rows.length);
          }
        },
      ),
    );
  });

  it('throws a conflict naming the stream when an expected version fails and something is new', () => {
    const appends = [{ streamId: 's1', events: [event('e1')], expectedVersion: 2 }];
    expect(() => planAppend(appends, new Set(), new Map([['s1', 3]]))).toThrow(
      expect.objectContaining({ code: 'STREAM_VERSION_CONFLICT', streamId: 's1', expected: 2, actual: 3 }),
    );
    expect(() => planAppend(appends, new Set(), new Map())).toThrow(StreamVersionConflictError);
  });

  it('does not check the expected version of a stream whose events are all stored (idempotent retry)', () => {
    const plan = planAppend(
      [{ streamId: 's1', events: [event('e1')], expectedVersion: 0 }],
      new Set(['e1']),
      new Map([['s1', 1]]),
    );
    expect(plan).toEqual({
      rows: [],
      skippedEventIds: ['e1'],
      nextVersions: new Map([['s1', 1]]),
      earliestNewOccurrences: new Map(),
    });
  });

  it("notes each stream's earliest new occurrence, in whatever order its events come, skipped ones aside", () => {
    const at = (id: string, iso: string): NewEvent => ({ ...event(id), occurredAt: new Date(iso) });
    const plan = planAppend(
      [
        {
          streamId: 's1',
          events: [
            at('e1', '2026-06-03T00:00:00Z'),
            at('e2', '2026-06-01T00:00:00Z'),
            at('e1', '2026-05-01T00:00:00Z'), // a repeat of e1, earlier: skipped, counts for nothing
            at('e3', '2026-06-02T00:00:00Z'),
          ],
        },
        { streamId: 's2', events: [at('e4', '2026-01-01T00:00:00Z'), at('e5', '2026-07-01T00:00:00Z')] },
        { streamId: 's3', events: [at('e6', '2026-02-01T00:00:00Z')] },
      ],
      new Set(['e4', 'e6']),
      new Map([['s3', 1]]),
    );
    expect(plan.earliestNewOccurrences).toEqual(
      new Map([
        ['s1', new Date('2026-06-01T00:00:00Z')],
        ['s2', new Date('2026-07-01T00:00:00Z')],
      ]),
    );
  });
});

describe('satisfiesExpectedVersion', () => {
  it.each([
    ['any', 0, true],
    ['any', 7, true],
    ['no_stream', 0, true],
    ['no_stream', 1, false],
    ['stream_exists', 0, false],
    ['stream_exists', 3, true],
    [3, 3, true],
    [3, 4, false],
    [0, 0, true],
  ] as const)('%s against version %s is %s', (expected, actual, ok) => {
    expect(satisfiesExpectedVersion(expected, actual)).toBe(ok);
  });
});
