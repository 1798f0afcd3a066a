import type pg from 'pg';
import { beforeAll, expect, it } from 'vitest';
import { leadStreamId, type ScoreChangedMessage } from '../../packages/contracts/src/index.js';
import { appendToStream } from '../../packages/eventstore/src/index.js';
import {
  compileRuleset,
  defaultRuleset,
  foldEvents,
  type Ruleset,
  type ScoringEvent,
  scoreAt,
} from '../../packages/scoring/src/index.js';
import {
  prefetchRescoredStreams,
  scoreChangeObservation,
} from '../../services/projector/src/consumer/score-change-observation.js';
import { decayObservation } from '../../services/projector/src/decay/decay-observation.js';
import { fixedRulesetCatalog } from '../../services/projector/src/index.js';
import { recordStageDecision } from '../../services/projector/src/stages/record-stage-decision.js';
import { useDecisionPath } from './support/decision-path.js';
import { recordJourney } from './support/lead-journey.js';
import { DAY, HOUR } from './support/publish.js';
import { moves, stageReadModel, storedStageChanges } from './support/stage-store.js';

// A score change whose score is older than the lead's stage: a publication rescoring a lead whose
// events are long past, or an event that arrives after a decay check looked at the lead. The lead
// must move on what its score is at the later instant, not on the score it had back then.

const { pool: poolOf, context } = useDecisionPath();
const T = Date.UTC(2026, 2, 2, 9);
let pool: pg.Pool;

beforeAll(() => {
  pool = poolOf();
});

function version(number: number, change: (ruleset: Ruleset) => void): Ruleset {
  const ruleset = structuredClone(defaultRuleset);
  ruleset.version = number;
  change(ruleset);
  return ruleset;
}

// Version 2 lowers mql from 50 to 30; version 3 has an hour's half-life and demotion on.
const lowerMql = version(2, (ruleset) => {
  ruleset.stages.mql.minTotal = 30;
});
const fastDecay = version(3, (ruleset) => {
  ruleset.decay.halfLifeDays = 1 / 24;
  for (const rule of ruleset.engagement) delete rule.halfLifeDays;
  ruleset.stages.demotion.enabled = true;
});
const rulesets = fixedRulesetCatalog([defaultRuleset, lowerMql, fastDecay]);
const v1 = compileRuleset(defaultRuleset);
const v2 = compileRuleset(lowerMql);
const v3 = compileRuleset(fastDecay);

/** Two forms: 40 points (a lead under version 1, mql under version 2), decaying with 30-day half-lives. */
async function fortyPointLead(leadId: string) {
  const { scoreChanges } = await recordJourney(
    pool,
    { id: leadId, email: `${leadId}@acme.io` },
    [
      { type: 'form.submitted', at: T, properties: { form: 'contact' } },
      { type: 'form.submitted', at: T + HOUR, properties: { form: 'newsletter' } },
    ],
    v1,
  );
  for (const change of scoreChanges) {
    await recordStageDecision(pool, leadId, scoreChangeObservation(change, rulesets), context);
  }
  return scoreChanges.at(-1)!;
}

/** The rescore the scoring service publishes for `last`'s lead under version 2, computed at `computedAt`. */
function rescoredUnderV2(last: ScoreChangedMessage, computedAt: number): ScoreChangedMessage {
  const at = Date.parse(last.scoredAt);
  const events: ScoringEvent[] = [
    { id: 'a', type: 'form.submitted', occurredAt: T, properties: { form: 'contact' } },
    { id: 'b', type: 'form.submitted', occurredAt: T + HOUR, properties: { form: 'newsletter' } },
  ];
  const view = scoreAt(foldEvents(events, v2), at, v2);
  return {
    ...last,
    rulesetVersion: 2,
    computedAt: new Date(computedAt).toISOString(),
    recomputed: true,
    old: last.new,
    new: { ...last.new, total: view.total, engagement: view.engagement },
    changes: ['ruleset'],
    rescore: { jobId: 'job-v2' },
  };
}

it('a publication moves a lead on its score at the publication, decayed since its events', async () => {
  const soon = await fortyPointLead('published-soon');
  const late = await fortyPointLead('published-late');
  expect((await stageReadModel(pool, 'published-soon')).lead?.stage).toBe('lead');

  // Published an hour after the lead's events: still about 40, so version 2 takes it to mql (30).
  // Its stream read ahead, as the consumer does for a batch's rescores (the other reads its own).
  const soonAt = T + 2 * HOUR;
  const rescore = rescoredUnderV2(soon, soonAt);
  const streams = await prefetchRescoredStreams(pool, [rescore]);
  expect(streams.get('published-soon')).toHaveLength(2);
  await recordStageDecision(
    pool,
    'published-soon',
    scoreChangeObservation(rescore, rulesets, streams.get('published-soon')),
    context,
  );
  const [promoted] = await storedStageChanges(pool, 'published-soon');
  expect(promoted?.data).toMatchObject({
    from: 'lead',
    to: 'mql',
    reason: 'rescored',
    occurredAt: new Date(soonAt).toISOString(),
  });

  // Published 90 days later: three half-lives have left about 5 points, and it stays a lead.
  await recordStageDecision(
    pool,
    'published-late',
    scoreChangeObservation(rescoredUnderV2(late, T + 90 * DAY), rulesets),
    context,
  );
  expect(await storedStageChanges(pool, 'published-late')).toEqual([]);
  const { lead } = await stageReadModel(pool, 'published-late');
  expect(lead?.stage).toBe('lead');
});

it('an event that arrives after decay recycled the lead does not bring it back on the score it had before', async () => {
  // Under version 3 (an hour's half-life, demotion on): a contact form and a demo request (60) take
  // the lead to mql,
  // and decay recycles it.
  const { scoreChanges } = await recordJourney(
    pool,
    { id: 'cooled', email: 'cooled@acme.io' },
    [
      { type: 'form.submitted', at: T - 10 * 60_000, properties: { form: 'contact' } },
      { type: 'form.submitted', at: T, properties: { form: 'demo-request' } },
    ],
    v3,
  );
  for (const change of scoreChanges) {
    await recordStageDecision(pool, 'cooled', scoreChangeObservation(change, rulesets), context);
  }
  const demo = scoreChanges.at(-1);
  for (let check = 0; check < 10; check += 1) {
    await recordStageDecision(pool, 'cooled', decayObservation(rulesets, T + 2 * DAY), context);
  }
  const before = moves((await storedStageChanges(pool, 'cooled')).map((event) => event.data));
  expect(before).toEqual(['lead->mql', 'mql->recycled']);

  // A page visit from an hour before the demo request arrives now. The scoring service recomputes
  // the lead up to its latest event (the demo request): about 60 points then, far above mql, but long
  // decayed by the time the lead was recycled.
  const visit = { type: 'page.visited', properties: { url: 'https://acme.example/blog' } };
  const { appended } = await appendToStream(pool, leadStreamId('cooled'), [
    {
      id: 'cooled-late-visit',
      ...visit,
      data: { email: 'cooled@acme.io', properties: visit.properties },
      occurredAt: new Date(T - HOUR),
    },
  ]);
  const both: ScoringEvent[] = [
    { id: 'contact', type: 'form.submitted', occurredAt: T - 10 * 60_000, properties: { form: 'contact' } },
    { id: 'demo', type: 'form.submitted', occurredAt: T, properties: { form: 'demo-request' } },
    { id: 'visit', ...visit, occurredAt: T - HOUR },
  ];
  const view = scoreAt(foldEvents(both, v3), T, v3);
  expect(view.total).toBeGreaterThan(55);
  const late: ScoreChangedMessage = {
    ...demo!,
    eventId: 'cooled-late-visit',
    globalPosition: appended[0]!.globalPosition.toString(),
    occurredAt: new Date(T - HOUR).toISOString(),
    recomputed: true,
    old: demo!.new,
    new: { ...demo!.new, total: view.total, engagement: view.engagement },
  };
  await recordStageDecision(pool, 'cooled', scoreChangeObservation(late, rulesets), context);
  expect(moves((await storedStageChanges(pool, 'cooled')).map((event) => event.data))).toEqual(before);
  expect((await stageReadModel(pool, 'cooled')).lead?.stage).toBe('recycled');
});
