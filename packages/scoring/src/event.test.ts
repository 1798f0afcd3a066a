import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { emptyLeadState, parseLeadState } from './engine/lead-state.js';
import { EventInvalidError, LeadStateInvalidError } from './errors.js';
import { compareEvents, parseScoringEvent } from './event.js';
import { defaultCompiled } from './test-support/rulesets.js';

function issuePaths(attempt: () => unknown): string[] {
  try {
    attempt();
  } catch (error) {
    if (error instanceof EventInvalidError || error instanceof LeadStateInvalidError) {
      return error.issues.map((issue) => issue.path);
    }
    throw error;
  }
  throw new Error('expected the input to be refused');
}

describe('parseScoringEvent', () => {
  it('accepts the minimal event and keeps properties and traits', () => {
    const event = {
      id: 'e1',
      type: 'email.opened',
      occurredAt: 1_700_000_000_000,
      properties: { machineOpen: true },
    };
    expect(parseScoringEvent(event)).toEqual(event);
  });

  it('refuses a bad event naming every bad field', () => {
    const paths = issuePaths(() => parseScoringEvent({ id: '', occurredAt: 1.5, properties: [] }));
    expect(paths).toEqual(expect.arrayContaining(['id', 'type', 'occurredAt', 'properties']));
  });
});

describe('parseLeadState', () => {
  it('reads back what the engine writes', () => {
    const state = emptyLeadState(defaultCompiled);
    expect(parseLeadState(JSON.parse(JSON.stringify(state)))).toEqual(state);
  });

  it('refuses a malformed state naming every bad field', () => {
    const state = { ...emptyLeadState(defaultCompiled), format: 2, rules: [[1, 0]], lastAt: 'yesterday' };
    expect(issuePaths(() => parseLeadState(state))).toEqual(
      expect.arrayContaining(['format', 'rules[0]', 'lastAt']),
    );
  });
});

describe('compareEvents', () => {
  it('orders by time, then by id, and is a total order consistent with equality', () => {
    const key = fc.record({
      occurredAt: fc.integer({ min: 0, max: 5 }),
      id: fc.constantFrom('a', 'b', 'B', '10'),
    });
    fc.assert(
      fc.property(key, key, (a, b) => {
        const order = compareEvents(a, b);
        expect(Math.sign(order) + Math.sign(compareEvents(b, a))).toBe(0);
        expect(order === 0).toBe(a.occurredAt === b.occurredAt && a.id === b.id);
        if (a.occurredAt !== b.occurredAt) expect(order < 0).toBe(a.occurredAt < b.occurredAt);
      }),
    );
  });
});
