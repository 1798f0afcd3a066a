import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AllSubscription } from '../../packages/eventstore/src/index.js';
import { compileRuleset, defaultRuleset } from '../../packages/scoring/src/index.js';
import { InvalidStageChangeError, LeadNotFoundError } from '../../services/projector/src/index.js';
import { kafkaBrokers, uniqueTopicPrefix, useTestDatabase } from '../support/infra.js';
import { recordJourney } from './support/lead-journey.js';
import {
  counterValue,
  type ProjectorUnderTest,
  startProjector,
  startStageRelay,
} from './support/projector-harness.js';
import { HOUR, iso, publishScoreChanges, vpTraits } from './support/publish.js';
import { moves, stageReadModel, storedStageChanges } from './support/stage-store.js';
import { eventually, readStageTopic, type StageTopic, settle } from './support/stage-topic.js';

const database = useTestDatabase();
const ruleset = compileRuleset(defaultRuleset);
const T = Date.UTC(2026, 2, 2, 9);
let projector: ProjectorUnderTest;
let relay: AllSubscription;
let topic: StageTopic;

beforeAll(async () => {
  projector = await startProjector({
    databaseUrl: database().url,
    brokers: kafkaBrokers(),
    topicPrefix: uniqueTopicPrefix(),
  });
  relay = await startStageRelay(projector);
  topic = await readStageTopic(projector.bus, projector.topics.stageChanged);
});

afterAll(async () => {
  await relay?.stop();
  await projector?.close();
});

/** A VP at a software company: demo request (mql), webinar, contact form (sql), reply (prospect). */
function qualifyingJourney(leadId: string) {
  return recordJourney(
    projector.pool,
    { id: leadId, email: `${leadId}@acme.io` },
    [
      { type: 'profile.updated', at: T, traits: vpTraits },
      { type: 'form.submitted', at: T + HOUR, properties: { form: 'demo-request' } },
      { type: 'webinar.attended', at: T + 2 * HOUR },
      { type: 'form.submitted', at: T + 3 * HOUR, properties: { form: 'contact' } },
      { type: 'email.replied', at: T + 4 * HOUR },
    ],
    ruleset,
  );
}

describe('stage changes from score changes', () => {
  let journey: Awaited<ReturnType<typeof qualifyingJourney>>;

  it('moves a lead lead->mql->sql->prospect once each, in order, published as CloudEvents with the stored ids', async () => {
    journey = await qualifyingJourney('ann');
    await publishScoreChanges(projector.bus, projector.topics.scoreChanged, journey.scoreChanges);
    await eventually(
      () => topic.forLead('ann').length >= 3,
      () => `${topic.forLead('ann').length} stage changes published`,
    );
    await settle();

    const published = topic.forLead('ann');
    const bodies = published.map((change) => change.body);
    expect(moves(bodies)).toEqual(['lead->mql', 'mql->sql', 'sql->prospect']);
    expect(bodies.map((body) => body.reason)).toEqual(['threshold', 'threshold', 'two-way-signal']);
    const [, demo, , contact, reply] = journey.eventIds;
    expect(bodies.map((body) => body.triggeringEventId)).toEqual([demo, contact, reply]);
    expect(bodies.map((body) => body.occurredAt)).toEqual([
      iso(T + HOUR),
      iso(T + 3 * HOUR),
      iso(T + 4 * HOUR),
    ]);

    const byEvent = new Map(journey.scoreChanges.map((change) => [change.eventId, change.new]));
    for (const { body, attributes, raw } of published) {
      expect(raw.headers.ce_specversion).toBe('1.0');
      expect(attributes).toEqual({
        id: body.id,
        type: 'com.leadscore.lead.stage_changed.v1',
        source: '/leadscore/projector',
        subject: 'ann',
        time: body.occurredAt,
        dataContentType: 'application/json',
      });
      const score = byEvent.get(body.triggeringEventId ?? '');
      expect(body).toMatchObject({
        leadId: 'ann',
        email: 'ann@acme.io',
        grade: 'A',
        rulesetId: 'default',
        rulesetVersion: 1,
        score: { total: score?.total, engagement: score?.engagement, fit: 35, temperature: 'hot' },
      });
    }

    const stored = await storedStageChanges(projector.pool, 'ann');
    expect(stored.map((event) => event.eventId)).toEqual(published.map((change) => change.attributes.id));
    expect(stored.map((event) => event.data)).toEqual(bodies);

    const { lead, history } = await stageReadModel(projector.pool, 'ann');
    expect(lead).toMatchObject({ stage: 'prospect', since: new Date(T + 4 * HOUR) });
    expect(history.map((row) => [row.event_id, `${row.from_stage}->${row.to_stage}`])).toEqual(
      bodies.map((body) => [body.id, `${body.from}->${body.to}`]),
    );
  });

  it('decides nothing new when the same score changes are delivered again', async () => {
    const before = await counterValue(projector.metrics, 'leadscore_projector_score_changes_total', {
      outcome: 'duplicate',
    });
    await publishScoreChanges(projector.bus, projector.topics.scoreChanged, [
      ...journey.scoreChanges,
      ...journey.scoreChanges,
    ]);
    await eventually(
      async () =>
        (await counterValue(projector.metrics, 'leadscore_projector_score_changes_total', {
          outcome: 'duplicate',
        })) ===
        before + 2 * journey.scoreChanges.length,
      () => 'the redelivered score changes to be consumed',
    );
    await settle();

    expect(moves(topic.forLead('ann').map((change) => change.body))).toEqual([
      'lead->mql',
      'mql->sql',
      'sql->prospect',
    ]);
    expect(await storedStageChanges(projector.pool, 'ann')).toHaveLength(3);
    expect((await stageReadModel(projector.pool, 'ann')).history).toHaveLength(3);
  });

  it('leaves a lead at lead while its score stays below the mql threshold', async () => {
    const cold = await recordJourney(
      projector.pool,
      { id: 'student', email: 'student@uni.edu' },
      [
        { type: 'email.opened', at: T },
        { type: 'email.opened', at: T + HOUR },
        { type: 'email.unsubscribed', at: T + 2 * HOUR },
      ],
      ruleset,
    );
    await publishScoreChanges(projector.bus, projector.topics.scoreChanged, cold.scoreChanges);
    await eventually(
      async () => (await stageReadModel(projector.pool, 'student')).lead !== undefined,
      () => 'the student lead to be projected',
    );
    await settle(1_000);
    expect(topic.forLead('student')).toEqual([]);
    expect((await stageReadModel(projector.pool, 'student')).lead).toMatchObject({
      stage: 'lead',
      since: null,
    });
  });
});

describe('manual stage changes', () => {
  it('records a person moving a lead, with the actor and reason, and publishes it like any other change', async () => {
    const { stage, change } = await projector.app.projector.changeStageManually(
      'ann',
      'disqualified',
      'sales:kim',
      'works for a competitor',
    );
    expect(stage).toBe('disqualified');
    expect(change).toMatchObject({
      leadId: 'ann',
      from: 'prospect',
      to: 'disqualified',
      reason: 'manual',
      actor: 'sales:kim',
      note: 'works for a competitor',
      triggeringEventId: null,
    });
    await eventually(
      () => topic.forLead('ann').length === 4,
      () => `${topic.forLead('ann').length} stage changes published`,
    );
    expect(topic.forLead('ann')[3]?.attributes.id).toBe(change?.id);
    expect((await stageReadModel(projector.pool, 'ann')).lead?.stage).toBe('disqualified');

    // Asking again changes nothing: the lead already is where the person wants it.
    expect(await projector.app.projector.changeStageManually('ann', 'disqualified', 'sales:kim', '')).toEqual(
      {
        stage: 'disqualified',
        change: undefined,
      },
    );
    expect(await storedStageChanges(projector.pool, 'ann')).toHaveLength(4);
  });

  it('refuses a bad request or an unknown lead and changes nothing', async () => {
    const { changeStageManually } = projector.app.projector;
    await expect(changeStageManually('ann', 'won', 'sales:kim', '')).rejects.toThrow(InvalidStageChangeError);
    await expect(changeStageManually('ann', 'lead', ' ', '')).rejects.toThrow(/actor/);
    await expect(changeStageManually('nobody', 'mql', 'sales:kim', '')).rejects.toThrow(LeadNotFoundError);
    expect(await storedStageChanges(projector.pool, 'ann')).toHaveLength(4);
    expect(await storedStageChanges(projector.pool, 'nobody')).toEqual([]);
    expect((await stageReadModel(projector.pool, 'nobody')).lead).toBeUndefined();
  });
});
