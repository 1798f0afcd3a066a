import type { RecordedEvent } from '@leadscore/eventstore';
import {
  afterLook,
  type CompiledRuleset,
  canonicalEvents,
  compileRuleset,
  crossingThresholds,
  decide,
  defaultRuleset,
  foldEvents,
  initialStageState,
  nextCrossing,
  type Ruleset,
  type ScoreView,
  type ScoringEvent,
  type Stage,
  type StageChanged,
  type StageSignal,
  type StageState,
  scoreAt,
} from '@leadscore/scoring';
import fc from 'fast-check';

export const T = Date.UTC(2026, 0, 5, 9);
export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;

/** The default ruleset under another version, its stages changed. */
export function withStages(version: number, stages: Partial<Ruleset['stages']>): CompiledRuleset {
  return compileRuleset({ ...defaultRuleset, version, stages: { ...defaultRuleset.stages, ...stages } });
}

/** Forward-only, mql at 50, sql at 100 with grade C or better (clicks +3, contact form +20...). */
export const baseline = compileRuleset(defaultRuleset);
/** mql at 30: reached sooner. */
export const mql30 = withStages(2, { mql: { minTotal: 30 } });
/** mql at 60 with demotion 8 below each threshold. */
export const demoting = withStages(3, { mql: { minTotal: 60 }, demotion: { enabled: true, hysteresis: 8 } });

/** A move a person asks for at an instant. */
export interface MoveRequest {
  readonly at: number;
  readonly to: Stage;
}

/** A lead's life: what its tools reported, and what people asked for. */
export interface LeadLife {
  readonly events: readonly ScoringEvent[];
  readonly moves: readonly MoveRequest[];
}

let position = 0n;
function recorded(type: string, id: string, at: number, data: unknown): RecordedEvent {
  position += 1n;
  return {
    eventId: id,
    streamId: 'lead-x',
    streamPosition: Number(position),
    globalPosition: position,
    transactionId: 1n,
    type,
    data,
    metadata: null,
    occurredAt: new Date(at),
    recordedAt: new Date(at),
  };
}

/** An activity event as the store hands it back. */
export function storedActivity(event: ScoringEvent): RecordedEvent {
  const { properties, traits } = event;
  return recorded(event.type, event.id, event.occurredAt, {
    ...(properties === undefined ? {} : { properties }),
    ...(traits === undefined ? {} : { traits }),
  });
}

/** A LeadStageChanged as the projector stores it (only the fields a simulation reads matter). */
export function storedChange(change: Pick<StageChanged, 'from' | 'to' | 'at' | 'reason'>): RecordedEvent {
  return recorded('LeadStageChanged', `stg-${position}`, change.at, {
    from: change.from,
    to: change.to,
    reason: change.reason,
    occurredAt: new Date(change.at).toISOString(),
  });
}

const differ = (a: ScoreView, b: ScoreView) =>
  a.total !== b.total ||
  a.engagement !== b.engagement ||
  a.fit !== b.fit ||
  a.grade !== b.grade ||
  a.temperature !== b.temperature ||
  a.twoWay !== b.twoWay;

/**
 * What the projector does with a lead living `life` under `ruleset`, events arriving on time
 * (reference, slow: every score from scratch, every decay check taken). Looks in the order of
 * their instants, an event before a move at the same one: an event whose score change the scoring
 * service announces (a changed score, or the first), a person's move, and the decay checks the
 * announced crossings schedule, each check scheduling the next. A move that changes nothing is
 * not recorded and leaves no trace in the store, so it is left out here: no replay could see it.
 */
export function livedUnder(
  life: LeadLife,
  ruleset: CompiledRuleset,
  asOf: number,
): { state: StageState; recorded: StageChanged[] } {
  const thresholds = crossingThresholds(ruleset);
  type Look = { at: number; event?: ScoringEvent; move?: MoveRequest };
  const looks: Look[] = [
    ...canonicalEvents(life.events, asOf).map((event): Look => ({ at: event.occurredAt, event })),
    ...life.moves.filter((move) => move.at <= asOf).map((move): Look => ({ at: move.at, move })),
  ];
  // By instant, an event before a move at the same one (a stable sort keeps events in order).
  looks.sort((a, b) => a.at - b.at || (a.event ? 0 : 1) - (b.event ? 0 : 1));
  let state = initialStageState;
  const history: StageChanged[] = [];
  let schedule: number | null = null;
  const known: ScoringEvent[] = [];
  const decideOn = (view: ScoreView, signal: StageSignal) => {
    const changes = decide(state, view, signal, ruleset.stages);
    history.push(...changes);
    state = afterLook(state, view, changes);
  };
  const checksBefore = (until: number, inclusive: boolean) => {
    while (schedule !== null && (schedule < until || (inclusive && schedule === until))) {
      const at = schedule;
      const scoring = foldEvents(known, ruleset, at);
      decideOn(scoreAt(scoring, at, ruleset), { kind: 'decay', at });
      schedule = nextCrossing(scoring, thresholds, at, ruleset)?.at ?? null;
    }
  };
  for (const look of looks) {
    checksBefore(look.at, false);
    if (look.event !== undefined) {
      const old = known.length === 0 ? null : scoreAt(foldEvents(known, ruleset), look.at, ruleset);
      known.push(look.event);
      const scoring = foldEvents(known, ruleset);
      const view = scoreAt(scoring, look.at, ruleset);
      if (old !== null && !differ(old, view)) continue;
      decideOn(view, { kind: 'event', at: look.at, eventId: look.event.id });
      schedule = nextCrossing(scoring, thresholds, look.at, ruleset)?.at ?? null;
    } else if (look.move !== undefined) {
      const view = scoreAt(foldEvents(known, ruleset), look.at, ruleset);
      const signal: StageSignal = { kind: 'manual', at: look.at, to: look.move.to };
      if (decide(state, view, signal, ruleset.stages).length > 0) decideOn(view, signal);
    }
  }
  checksBefore(asOf, true);
  return { state, recorded: history };
}

/**
 * The lead's stream as the store holds it after living under `ruleset`: its activity events and
 * the stage changes the projector recorded, in the order they were recorded.
 */
export function streamOf(life: LeadLife, ruleset: CompiledRuleset, asOf: number): RecordedEvent[] {
  const { recorded: changes } = livedUnder(life, ruleset, asOf);
  const items = [
    ...life.events.map((event) => ({ at: event.occurredAt, stored: () => storedActivity(event) })),
    ...changes.map((change) => ({ at: change.at, stored: () => storedChange(change) })),
  ].sort((a, b) => a.at - b.at);
  return items.map((item) => item.stored());
}

/**
 * Where publishing `candidate` at `asOf` leaves a lead that stands at `state` under `baseline`
 * (reference): when the rescore is announced (the score at the latest event moved, or the stage
 * policy did), one rescored look at the lead's score decayed to the publication.
 */
export function publishedFrom(
  state: StageState,
  life: LeadLife,
  rulesets: { readonly baseline: CompiledRuleset; readonly candidate: CompiledRuleset },
  asOf: number,
): Stage {
  const { baseline: before, candidate } = rulesets;
  const events = canonicalEvents(life.events, asOf);
  const latest = events.at(-1)?.occurredAt;
  if (latest === undefined) return state.stage;
  const rescored = scoreAt(foldEvents(events, candidate), latest, candidate);
  const policy = (r: CompiledRuleset) => JSON.stringify([r.source.stages, r.source.temperatures]);
  const old = scoreAt(foldEvents(events, before), latest, before);
  if (policy(before) === policy(candidate) && !differ(old, rescored)) return state.stage;
  const atPublication = scoreAt(foldEvents(events, candidate), asOf, candidate);
  const signal = { kind: 'rescored', at: asOf, ruleset: candidate.key } as const;
  return afterLook(state, atPublication, decide(state, atPublication, signal, candidate.stages)).stage;
}

// Event kinds whose points cross the default thresholds in a few steps, both ways.
const kinds: readonly Pick<ScoringEvent, 'type' | 'properties'>[] = [
  { type: 'email.clicked' }, // +3
  { type: 'form.submitted', properties: { form: 'contact' } }, // +20
  { type: 'form.submitted', properties: { form: 'demo-request' } }, // +40
  { type: 'content.downloaded' }, // +8
  { type: 'email.replied' }, // +15, two-way
  { type: 'email.unsubscribed' }, // -20
];
const VP = { title: 'VP Marketing', industry: 'software', companySize: 250 };

/** Lives of a few weeks: a dozen events at most, hours to days apart, and a few moves by hand. */
export const leadLife: fc.Arbitrary<LeadLife> = fc.record({
  events: fc
    .array(
      fc.record({
        kind: fc.nat({ max: kinds.length - 1 }),
        at: fc.integer({ min: 0, max: 40 * DAY }),
        vp: fc.boolean(),
      }),
      { maxLength: 12 },
    )
    .map((drawn) =>
      drawn.map(({ kind, at, vp }, i) => ({
        id: `e${i}`,
        ...kinds[kind]!,
        occurredAt: T + Math.round(at / MINUTE) * MINUTE,
        ...(vp ? { traits: VP } : {}),
      })),
    ),
  moves: fc.array(
    fc.record({
      at: fc.integer({ min: 0, max: 45 * DAY }).map((at) => T + at),
      to: fc.constantFrom<Stage>('lead', 'mql', 'sql', 'prospect', 'disqualified', 'recycled'),
    }),
    { maxLength: 3 },
  ),
});
