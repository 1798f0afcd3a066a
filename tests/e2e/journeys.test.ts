/**
 * The product's journeys end to end: the four services as processes on real Kafka and PostgreSQL,
 * driven only through their interfaces (webhook in; Kafka topics and the REST API out), checked
 * against the pure scoring engine.
 */
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type ActivityEventInput,
  type AlertMessage,
  leadKeyOf,
  stageChangedCloudEventType,
} from '../../packages/contracts/src/index.js';
import { type Bus, createKafkaBus } from '../../packages/kafka/src/index.js';
import { createLogger } from '../../packages/platform/src/index.js';
import {
  compileRuleset,
  defaultRuleset,
  type ScoringEvent,
  scoreEvents,
} from '../../packages/scoring/src/index.js';
import { SEED_JOURNEY_SPAN_MS, seedJourney, studentJourney } from '../../scripts/demo/journeys.js';
import { scoringEventsOf } from '../api/support/journey.js';
import { eventually, readStageTopic, type StageTopic, settle } from '../projector/support/stage-topic.js';
import { createTestDatabase, kafkaBrokers, type TestDatabase, uniqueTopicPrefix } from '../support/infra.js';
import { readAlertTopic } from './support/alert-topic.js';
import { getJson, postEvents } from './support/clients.js';
import { expectedStageChanges } from './support/engine-expectations.js';
import { PipelineWatch, serviceGroups } from './support/quiescence.js';
import { ServicePipeline } from './support/service-pipeline.js';

const ruleset = compileRuleset(defaultRuleset);
const MINUTE = 60_000;
const iso = (ms: number) => new Date(ms).toISOString();
// The journeys end minutes before the run, so no decay crossing falls inside it.
const START = Date.now() - SEED_JOURNEY_SPAN_MS - 10 * MINUTE;

interface Posted {
  readonly leadId: string;
  readonly batch: ActivityEventInput[];
  readonly ids: string[];
  readonly engine: ScoringEvent[];
}

let database: TestDatabase;
let pipeline: ServicePipeline;
let pool: pg.Pool;
let bus: Bus;
let watch: PipelineWatch;
let crm: StageTopic;
let alerts: AlertMessage[];
let vp: Posted;
let student: Posted;

async function post(batch: ActivityEventInput[]): Promise<Posted> {
  const ids = await postEvents(pipeline.url('ingest'), batch);
  const { id, email } = batch[0]!.lead;
  // The webhook normalises addresses before deriving a lead id from one.
  const leadId = leadKeyOf({ id, email: email?.trim().toLowerCase() });
  return { leadId, batch, ids, engine: scoringEventsOf(batch, ids) };
}

const untilQuiet = () =>
  watch.untilQuiet(90_000, () =>
    ['ingest', 'scoring', 'projector'].map((s) => pipeline.logsOf(s as 'ingest')).join('\n'),
  );

beforeAll(async () => {
  database = await createTestDatabase();
  const topicPrefix = uniqueTopicPrefix();
  pipeline = await ServicePipeline.start({ databaseUrl: database.url, brokers: kafkaBrokers(), topicPrefix });
  pool = new pg.Pool({ connectionString: database.url, max: 2 });
  bus = createKafkaBus({
    brokers: kafkaBrokers(),
    clientId: 'e2e-crm',
    logger: createLogger({ service: 'api', level: 'silent' }),
  });
  watch = new PipelineWatch(kafkaBrokers(), pool, serviceGroups(topicPrefix, pipeline.topics));
  await watch.connect();
  crm = await readStageTopic(bus, pipeline.topics.stageChanged);
  alerts = await readAlertTopic(bus, pipeline.topics.alerts);

  vp = await post(seedJourney('Pat.Morgan@acme-software.com', START));
  student = await post(studentJourney('jo.student@gmail.com', START));
  await untilQuiet();
  await eventually(
    () => crm.forLead(vp.leadId).length >= 3,
    async () =>
      `stage changes of the VP so far: ${JSON.stringify(crm.forLead(vp.leadId).map((c) => c.body))}; ` +
      `lead_stages: ${JSON.stringify((await pool.query('SELECT lead_id, stage, last_position FROM lead_stages')).rows)}; ` +
      `progress: ${JSON.stringify(await watch.progress())}\n${pipeline.logsOf('projector')}\n${pipeline.logsOf('ingest')}`,
  );
}, 240_000);

afterAll(async () => {
  await pipeline?.stopAll();
  await bus?.close();
  await watch?.close().catch(() => undefined);
  await pool?.end();
  await database?.drop();
}, 60_000);

describe('the seed journey (VP of Marketing at a 250-person software company)', () => {
  it('publishes lead->mql, mql->sql, sql->prospect once each, in order, as valid CloudEvents', async () => {
    const published = crm.forLead(vp.leadId);
    expect(published.map(({ body }) => `${body.from}->${body.to}`)).toEqual([
      'lead->mql',
      'mql->sql',
      'sql->prospect',
    ]);
    // The moves the pure engine and decider call for, caused by the same events.
    expect(
      published.map(({ body }) => ({
        from: body.from,
        to: body.to,
        triggeringEventId: body.triggeringEventId,
      })),
    ).toEqual(expectedStageChanges(vp.engine, ruleset));
    for (const { attributes, body, raw } of published) {
      expect(raw.headers.ce_specversion).toBe('1.0');
      expect(attributes).toMatchObject({
        id: body.id,
        type: stageChangedCloudEventType,
        subject: vp.leadId,
        dataContentType: 'application/json',
      });
      expect(Date.parse(attributes.time ?? '')).toBe(Date.parse(body.occurredAt));
      expect(body).toMatchObject({ leadId: vp.leadId, email: 'pat.morgan@acme-software.com', grade: 'A' });
    }
    expect(new Set(published.map(({ body }) => body.id)).size).toBe(3);

    const { history } = await getJson(pipeline.url('api'), `/v1/leads/${vp.leadId}/stages`);
    expect(history.map((change: { eventId: string }) => change.eventId)).toEqual(
      published.map(({ body }) => body.id),
    );
  });

  it('raises an alert when the lead, already warm, revisits pricing', () => {
    const revisit = vp.ids[5]!;
    expect(vp.batch[5]).toMatchObject({ type: 'page.visited', properties: { url: '/pricing' } });
    const forRevisit = alerts.filter((alert) => alert.eventId === revisit);
    expect(forRevisit).toHaveLength(1);
    expect(forRevisit[0]).toMatchObject({
      leadId: vp.leadId,
      url: '/pricing',
      ruleId: 'pivotal-page-visited',
    });
    expect(['warm', 'hot']).toContain(forRevisit[0]!.temperature);
  });

  it('shows in the API the score the engine computes from the same events, and an explanation summing to it', async () => {
    const response = await getJson(pipeline.url('api'), `/v1/leads/${vp.leadId}/score?explain=true`);
    const at = Date.parse(response.score.at);
    const expected = scoreEvents(vp.engine, ruleset, at);
    expect(Math.abs(response.score.total - expected.total)).toBeLessThan(1e-6);
    expect(Math.abs(response.score.engagement - expected.engagement)).toBeLessThan(1e-6);
    expect(response.score).toMatchObject({
      fit: expected.fit,
      grade: expected.grade,
      temperature: expected.temperature,
    });
    expect(response.eventsCounted).toBe(vp.batch.length);

    const { engagement, fit, clampAdjustment } = response.explanation;
    const rules = engagement.rules.reduce(
      (sum: number, rule: { decayedPoints: number }) => sum + rule.decayedPoints,
      0,
    );
    expect(Math.abs(rules - engagement.total)).toBeLessThan(1e-6);
    expect(Math.abs(engagement.total + fit.total + clampAdjustment - response.score.total)).toBeLessThan(
      1e-6,
    );

    const lead = await getJson(pipeline.url('api'), `/v1/leads/${vp.leadId}`);
    expect(lead.stage.name).toBe('prospect');
    const now = scoreEvents(vp.engine, ruleset, Date.parse(lead.score.at));
    expect(Math.abs(lead.score.total - now.total)).toBeLessThan(1e-6);
  });
});

describe('a free-mail student who only opens emails, then unsubscribes', () => {
  it('never leaves `lead`, and the score stays at the floor', async () => {
    expect(crm.forLead(student.leadId)).toEqual([]);
    const lead = await getJson(pipeline.url('api'), `/v1/leads/${student.leadId}`);
    expect(lead.stage.name).toBe('lead');
    const { current, history } = await getJson(pipeline.url('api'), `/v1/leads/${student.leadId}/stages`);
    expect(current.stage).toBe('lead');
    expect(history).toEqual([]);

    const response = await getJson(pipeline.url('api'), `/v1/leads/${student.leadId}/score?explain=true`);
    const { engagement, fit, clampAdjustment } = response.explanation;
    // Unclamped the lead would be below zero; the floor (0 in the default ruleset) holds.
    expect(engagement.total + fit.total).toBeLessThan(defaultRuleset.total.floor ?? 0);
    expect(response.score.total).toBe(defaultRuleset.total.floor);
    expect(clampAdjustment).toBeGreaterThan(0);
    expect(response.score).toMatchObject({ grade: 'F', temperature: 'cold' });
  });
});

describe('time travel', () => {
  it('answers at any past instant the score the engine computes from the events up to then', async () => {
    const instants = [
      START - MINUTE,
      ...vp.engine.map((event) => event.occurredAt),
      START + SEED_JOURNEY_SPAN_MS / 3,
    ];
    for (const [offset, at] of instants.flatMap((at) => [at, at + 7 * MINUTE]).entries()) {
      const response = await getJson(pipeline.url('api'), `/v1/leads/${vp.leadId}/score?at=${iso(at)}`);
      const expected = scoreEvents(vp.engine, ruleset, at);
      expect(Math.abs(response.score.total - expected.total), `instant ${offset}`).toBeLessThan(1e-6);
      expect(response.score.grade).toBe(expected.grade);
      expect(response.eventsCounted).toBe(vp.engine.filter((event) => event.occurredAt <= at).length);
    }
  });
});

describe('replaying the same events', () => {
  it('changes nothing: same ids, nothing stored twice, no new stage change, same scores', async () => {
    const scoresBefore = await readScores();
    const storedBefore = await pool.query('SELECT count(*)::int AS n FROM eventstore.messages');
    const publishedBefore = crm.received.length;

    expect(await postEvents(pipeline.url('ingest'), vp.batch)).toEqual(vp.ids);
    expect(await postEvents(pipeline.url('ingest'), student.batch)).toEqual(student.ids);
    await untilQuiet();
    await settle();

    expect((await pool.query('SELECT count(*)::int AS n FROM eventstore.messages')).rows).toEqual(
      storedBefore.rows,
    );
    expect(crm.received.length).toBe(publishedBefore);
    expect(await readScores()).toEqual(scoresBefore);
  });
});

async function readScores(): Promise<unknown[]> {
  const { rows } = await pool.query(
    `SELECT lead_id, total, engagement, fit, grade, temperature, state, last_global_position, next_crossing_at
       FROM lead_scores ORDER BY lead_id`,
  );
  return rows;
}
