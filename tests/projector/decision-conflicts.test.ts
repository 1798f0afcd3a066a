import type pg from 'pg';
import { beforeAll, expect, it } from 'vitest';
import { leadStreamId, type ScoreChangedMessage } from '../../packages/contracts/src/index.js';
import { appendToStream } from '../../packages/eventstore/src/index.js';
import { compileRuleset, defaultRuleset } from '../../packages/scoring/src/index.js';
import { scoreChangeObservation } from '../../services/projector/src/consumer/score-change-observation.js';
import { fixedRulesetCatalog } from '../../services/projector/src/index.js';
import { recordStageDecision } from '../../services/projector/src/stages/record-stage-decision.js';
import { useDecisionPath } from './support/decision-path.js';
import { interfering } from './support/interfering.js';
import { recordJourney } from './support/lead-journey.js';
import { HOUR, vpTraits } from './support/publish.js';
import { moves, stageReadModel, storedStageChanges } from './support/stage-store.js';

// The decision path itself, against real PostgreSQL: a competing writer is made to commit between
// the decision's read and its append, every time, instead of hoping a race happens.

const { pool: poolOf, context, conflicts } = useDecisionPath();
const ruleset = compileRuleset(defaultRuleset);
const rulesets = fixedRulesetCatalog();
const T = Date.UTC(2026, 2, 2, 9);
let pool: pg.Pool;

beforeAll(() => {
  pool = poolOf();
});

/** Demo request (75 points: mql), then contact form (95), then webinar (110 with grade A: sql). */
async function journeyOf(leadId: string): Promise<readonly ScoreChangedMessage[]> {
  const { scoreChanges } = await recordJourney(
    pool,
    { id: leadId, email: `${leadId}@acme.io` },
    [
      { type: 'profile.updated', at: T, traits: vpTraits },
      { type: 'form.submitted', at: T + HOUR, properties: { form: 'demo-request' } },
      { type: 'form.submitted', at: T + 2 * HOUR, properties: { form: 'contact' } },
      { type: 'webinar.attended', at: T + 3 * HOUR },
    ],
    ruleset,
  );
  return scoreChanges;
}

it('decides again on a fresh read when another instance changed the lead first, so no move is recorded twice', async () => {
  const [profile, demo, , webinar] = await journeyOf('raced');
  const before = await conflicts();
  // This instance decides on the webinar (sql); while it looks, another decides on the demo (mql).
  const observe = interfering(scoreChangeObservation(webinar!, rulesets), async () => {
    await recordStageDecision(pool, 'raced', scoreChangeObservation(profile!, rulesets), context);
    await recordStageDecision(pool, 'raced', scoreChangeObservation(demo!, rulesets), context);
  });
  const decision = await recordStageDecision(pool, 'raced', observe, context);

  expect(observe.calls).toBe(2);
  expect(await conflicts()).toBe(before + 1);
  // Its first look would have decided lead->mql->sql; after the other's mql only mql->sql is left.
  expect(moves(decision.changes)).toEqual(['mql->sql']);
  const stored = await storedStageChanges(pool, 'raced');
  expect(moves(stored.map((event) => event.data))).toEqual(['lead->mql', 'mql->sql']);
  expect(stored.map((event) => event.data.triggeringEventId)).toEqual([demo!.eventId, webinar!.eventId]);
  expect((await stageReadModel(pool, 'raced')).history).toHaveLength(2);
});

it('decides once when two instances decide on the same score change at the same time', async () => {
  const [profile, demo] = await journeyOf('twice');
  await recordStageDecision(pool, 'twice', scoreChangeObservation(profile!, rulesets), context);
  const observe = interfering(scoreChangeObservation(demo!, rulesets), async () => {
    // The other instance blocks on this one's lock on the lead, so it is started, not awaited.
    competing = recordStageDecision(pool, 'twice', scoreChangeObservation(demo!, rulesets), context);
    await new Promise((resolve) => setTimeout(resolve, 200));
  });
  let competing: Promise<unknown> | undefined;
  const first = await recordStageDecision(pool, 'twice', observe, context);
  const second = (await competing) as Awaited<ReturnType<typeof recordStageDecision>>;

  expect(moves(first.changes)).toEqual(['lead->mql']);
  expect(second.changes).toEqual([]);
  expect(moves((await storedStageChanges(pool, 'twice')).map((event) => event.data))).toEqual(['lead->mql']);
});

it('retries when activity is appended to the lead between its read and its append', async () => {
  const [profile, demo] = await journeyOf('busy');
  await recordStageDecision(pool, 'busy', scoreChangeObservation(profile!, rulesets), context);
  const before = await conflicts();
  const observe = interfering(scoreChangeObservation(demo!, rulesets), () =>
    appendToStream(pool, leadStreamId('busy'), [
      { id: 'busy-late-open', type: 'email.opened', data: {}, occurredAt: new Date(T + 5 * HOUR) },
    ]),
  );
  const decision = await recordStageDecision(pool, 'busy', observe, context);

  expect(observe.calls).toBe(2);
  expect(await conflicts()).toBe(before + 1);
  expect(moves(decision.changes)).toEqual(['lead->mql']);
  expect(await storedStageChanges(pool, 'busy')).toHaveLength(1);
});
