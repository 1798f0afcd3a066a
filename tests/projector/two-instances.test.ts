import { afterAll, beforeAll, expect, it } from 'vitest';
import type { ScoreChangedMessage } from '../../packages/contracts/src/index.js';
import type { AllSubscription } from '../../packages/eventstore/src/index.js';
import { compileRuleset, defaultRuleset } from '../../packages/scoring/src/index.js';
import { kafkaBrokers, uniqueTopicPrefix, useTestDatabase } from '../support/infra.js';
import { recordJourney } from './support/lead-journey.js';
import { type ProjectorUnderTest, startProjector, startStageRelay } from './support/projector-harness.js';
import { HOUR, publishScoreChanges, vpTraits } from './support/publish.js';
import { moves, stageReadModel, storedStageChanges } from './support/stage-store.js';
import { eventually, readStageTopic, type StageTopic, settle } from './support/stage-topic.js';

// Two projector instances in different consumer groups both receive every score change (what a
// rebalance does to a few messages, here to all of them), so every lead is decided on by both at
// about the same time. Each move must still be recorded and published once.

const database = useTestDatabase();
const prefix = uniqueTopicPrefix();
const ruleset = compileRuleset(defaultRuleset);
const T = Date.UTC(2026, 2, 2, 9);
const LEADS = 24;
let instances: ProjectorUnderTest[] = [];
let relay: AllSubscription;
let topic: StageTopic;

beforeAll(async () => {
  const start = (groupId: string) =>
    startProjector({
      databaseUrl: database().url,
      brokers: kafkaBrokers(),
      topicPrefix: prefix,
      projector: { groupId },
    });
  instances = [await start('leadscore-projector'), await start('leadscore-projector-twin')];
  relay = await startStageRelay(instances[0]!);
  topic = await readStageTopic(instances[0]!.bus, instances[0]!.topics.stageChanged);
});

afterAll(async () => {
  await relay?.stop();
  for (const instance of instances) await instance.close();
});

it('records and publishes each move of each lead once, however many instances decide on it', {
  timeout: 90_000,
}, async () => {
  const [first] = instances as [ProjectorUnderTest];
  const leadIds = Array.from({ length: LEADS }, (_, i) => `twin-${i}`);
  const changes: ScoreChangedMessage[] = [];
  for (const leadId of leadIds) {
    const journey = await recordJourney(
      first.pool,
      { id: leadId, email: `${leadId}@acme.io` },
      [
        { type: 'profile.updated', at: T, traits: vpTraits },
        { type: 'form.submitted', at: T + HOUR, properties: { form: 'demo-request' } },
        { type: 'form.submitted', at: T + 2 * HOUR, properties: { form: 'contact' } },
        { type: 'webinar.attended', at: T + 3 * HOUR },
        { type: 'meeting.booked', at: T + 4 * HOUR },
      ],
      ruleset,
    );
    changes.push(...journey.scoreChanges);
  }
  await publishScoreChanges(first.bus, first.topics.scoreChanged, changes);

  await eventually(
    () => topic.received.length >= 3 * LEADS,
    async () => {
      const { rows } = await first.pool.query('SELECT count(*)::int AS count FROM lead_stage_history');
      return `${topic.received.length} of ${3 * LEADS} stage changes published, ${rows[0].count} recorded`;
    },
    60_000,
  );
  await settle(3_000);

  expect(topic.received).toHaveLength(3 * LEADS);
  expect(new Set(topic.received.map((change) => change.attributes.id)).size).toBe(3 * LEADS);
  for (const leadId of leadIds) {
    const published = topic.forLead(leadId).map((change) => change.body);
    expect(moves(published)).toEqual(['lead->mql', 'mql->sql', 'sql->prospect']);
    const stored = await storedStageChanges(first.pool, leadId);
    expect(stored.map((event) => event.eventId)).toEqual(published.map((body) => body.id));
    const { lead, history } = await stageReadModel(first.pool, leadId);
    expect(lead?.stage).toBe('prospect');
    expect(history.map((row) => row.event_id)).toEqual(published.map((body) => body.id));
  }
});
