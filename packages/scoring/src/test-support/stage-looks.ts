import fc from 'fast-check';
import { expect } from 'vitest';
import type { ScoreView } from '../engine/score-view.js';
import type { Grade, StagePolicy } from '../ruleset/ruleset.schema.js';
import { afterLook, decide } from '../stages/decide.js';
import {
  initialStageState,
  type Stage,
  type StageChanged,
  StageSchema,
  type StageScore,
  type StageSignal,
  type StageState,
} from '../stages/stage.schema.js';

/** The instant the stage tests look around. */
export const T = Date.UTC(2025, 0, 1);

export const scoreView = (total: number, grade: Grade = 'A', twoWay = false, at = T): ScoreView => ({
  at,
  engagement: total,
  fit: 0,
  grade,
  total,
  temperature: 'hot',
  twoWay,
});

/** A lead in `stage` since just before T, the previous look having seen `lastLook` when given. */
export const inStage = (stage: Stage, lastLook?: StageScore): StageState => ({
  stage,
  since: T - 1,
  ...(lastLook === undefined ? {} : { lastLook }),
});

// Totals land near the thresholds of both test policies often, where flapping would show.
const nearThresholds = fc
  .constantFrom(25, 50, 60, 100)
  .chain((threshold) => fc.double({ min: threshold - 12, max: threshold + 4, noNaN: true }));
const total = fc.oneof(fc.double({ min: -20, max: 150, noNaN: true }), nearThresholds);
const grade = fc.constantFrom<Grade>('A', 'B', 'C', 'D', 'F');
// Looks come at a handful of instants, out of order as often as not: late events, wall-clock moves.
const instant = fc.integer({ min: T, max: T + 20 });

/** A look because the score changed: an event, a decay check or a rescore. */
export const scoreLook = fc.record({
  total,
  grade,
  twoWay: fc.oneof(
    { weight: 19, arbitrary: fc.constant(false) },
    { weight: 1, arbitrary: fc.constant(true) },
  ),
  kind: fc.constantFrom('event', 'decay', 'rescored'),
  at: instant,
});

/** A look because a person moves the lead to `to`. */
export const manualLook = fc.record({
  total,
  grade,
  twoWay: fc.constant(false),
  kind: fc.constant('manual'),
  at: instant,
  to: fc.constantFrom(...StageSchema.options),
});

type Generated<A> = A extends fc.Arbitrary<infer T> ? T : never;
export type Look = Generated<typeof scoreLook> | Generated<typeof manualLook>;

function signalOf(look: Look, index: number): StageSignal {
  switch (look.kind) {
    case 'event':
      return { kind: 'event', at: look.at, eventId: `e${index}` };
    case 'rescored':
      return { kind: 'rescored', at: look.at, ruleset: 'r@1' };
    case 'manual':
      return { kind: 'manual', at: look.at, to: look.to };
    default:
      return { kind: 'decay', at: look.at };
  }
}

export interface LookedAt {
  readonly look: Look;
  readonly view: ScoreView;
  readonly before: StageState;
  readonly changes: readonly StageChanged[];
}

/**
 * A lead's life as the projector sees it: looks one after another, each decided on the state the
 * previous ones left (decide, then afterLook). Returns the final state and every look with what it
 * changed.
 */
export function live(looks: readonly Look[], policy: StagePolicy, start: StageState = initialStageState) {
  let state = start;
  let everTwoWay = false;
  const looked: LookedAt[] = [];
  for (const [i, look] of looks.entries()) {
    everTwoWay ||= look.twoWay; // a two-way signal is never forgotten
    const view = scoreView(look.total, look.grade, everTwoWay, look.at);
    const changes = decide(state, view, signalOf(look, i), policy);
    for (const [j, change] of changes.entries()) expect(change.from).toBe(changes[j - 1]?.to ?? state.stage);
    looked.push({ look, view, before: state, changes });
    state = afterLook(state, view, changes);
  }
  const history = looked.flatMap(({ look, changes }) =>
    changes.map((change) => ({ change, total: look.total })),
  );
  return { state, looked, history };
}
