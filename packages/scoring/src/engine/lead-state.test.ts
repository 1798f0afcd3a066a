import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LeadStateInvalidError } from '../errors.js';
import { defaultEvents, mixedEvents } from '../test-support/arbitraries.js';
import { defaultCompiled, mixedCompiled } from '../test-support/rulesets.js';
import { foldEvents } from './canonical.js';
import { isLeadState, type LeadState, LeadStateSchema, parseLeadState } from './lead-state.js';

/** States the engine builds, as read back from storage (plain JSON). */
const storedStates: fc.Arbitrary<Record<string, unknown>> = fc
  .oneof(
    defaultEvents().map((events) => foldEvents(events, defaultCompiled)),
    mixedEvents().map((events) => foldEvents(events, mixedCompiled)),
  )
  .map((state) => JSON.parse(JSON.stringify(state)) as Record<string, unknown>);

const big = 2 ** 53 + 2; // a number, but not a safe integer

/** Values a damaged document could hold where a state has something else. */
const oddValue = fc.oneof(
  fc.constantFrom(null, true, '', 'x', 0, 1, -1, 1.5, big, Number.NaN, Number.POSITIVE_INFINITY, [], {}),
  fc.jsonValue(),
);
const oddAccumulator = fc.constantFrom(
  null,
  [1.5, 7],
  [1.5, 7, 0],
  [1.5],
  [1.5, 7.5],
  [big, 7],
  [1, big],
  ['1', 7],
);
const oddTally = fc.constantFrom(
  null,
  [0, 0, 1.5, 7],
  [0, 0, 1.5, 7, 1, 2],
  [0, 0, 1.5, 7, 1],
  [0, 0, 1.5, 7, 1, 2, 3],
  [-1, 0, 1.5, 7],
  [0, -1, 1.5, 7],
  [0.5, 0, 1.5, 7],
  [0, 0, 1.5, 7.5],
  [0, 0, Number.NaN, 7],
  [0, 0, 1.5, 7, 1.5, 2],
  [0, 0, 1.5, 7, 1, -2],
  [0, 0, 1.5, 7, 1, big],
);
const oddTrait = fc.constantFrom(
  null,
  'x',
  true,
  1.5,
  Number.NaN,
  Number.POSITIVE_INFINITY,
  [],
  {},
  undefined,
);

const topKeys = ['format', 'ruleset', 'lastAt', 'lastId', 'decay', 'rules', 'traits', 'twoWayAt', 'other'];

/** One damage to a stored state: a field replaced or removed, or one element of its lists or traits. */
const damaged = fc.oneof(
  fc
    .tuple(storedStates, fc.constantFrom(...topKeys), oddValue, fc.boolean())
    .map(([state, key, value, remove]) => {
      const copy = structuredClone(state);
      if (remove) delete copy[key];
      else copy[key] = value;
      return copy;
    }),
  fc.tuple(storedStates, fc.nat(), oddAccumulator).map(([state, i, value]) => {
    const decay = [...(state.decay as unknown[])];
    decay[i % decay.length] = value;
    return { ...state, decay };
  }),
  fc.tuple(storedStates, fc.nat(), oddTally).map(([state, i, value]) => {
    const rules = [...(state.rules as unknown[])];
    rules[i % rules.length] = value;
    return { ...state, rules };
  }),
  fc
    .tuple(storedStates, fc.constantFrom('email', 'title', 'companySize'), oddTrait)
    .map(([state, key, value]) => ({
      ...state,
      traits: { ...(state.traits as object), [key]: value },
    })),
);

describe('reading a stored state', () => {
  it('accepts every state the engine builds, as the same object', () => {
    fc.assert(
      fc.property(storedStates, (state) => {
        expect(isLeadState(state)).toBe(true);
        expect(parseLeadState(state)).toBe(state);
      }),
    );
  });

  it('accepts and refuses exactly what the schema does', () => {
    fc.assert(
      fc.property(fc.oneof(storedStates, damaged, damaged), (value) => {
        expect(isLeadState(value)).toBe(LeadStateSchema.safeParse(value).success);
      }),
      { numRuns: 2_000 },
    );
  });

  it('refuses a damaged state with the problem by path', () => {
    const state = JSON.parse(JSON.stringify(foldEvents([], defaultCompiled))) as LeadState;
    const damagedState = { ...state, rules: [[1, 0, 2.5, 1_000, 3]] };
    expect(() => parseLeadState(damagedState)).toThrow(LeadStateInvalidError);
    expect(() => parseLeadState(damagedState)).toThrow(/rules\[0\]/);
  });

  it('names an unknown field as one of a lead state, not of a ruleset document', () => {
    const state = JSON.parse(JSON.stringify(foldEvents([], defaultCompiled))) as LeadState;
    let refused: unknown;
    try {
      parseLeadState({ ...state, scor: 12 });
    } catch (error) {
      refused = error;
    }
    expect(refused).toBeInstanceOf(LeadStateInvalidError);
    expect((refused as LeadStateInvalidError).issues).toEqual([
      { path: 'scor', message: 'is not a field of a lead state' },
    ]);
    expect((refused as Error).message).toBe('lead state is invalid: scor: is not a field of a lead state');
  });
});
