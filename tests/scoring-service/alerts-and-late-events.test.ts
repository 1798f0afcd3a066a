import { afterAll, beforeAll, expect, it } from 'vitest';
import {
  alertMessageSchema,
  type JsonValue,
  scoreChangedMessageSchema,
} from '../../packages/contracts/src/index.js';
import { kafkaBrokers, uniqueTopicPrefix, useTestDatabase } from '../support/infra.js';
import { canonicalScore, expectClose } from './support/expectations.js';
import { appendActivities, type LeadActivity } from './support/lead-journeys.js';
import { leadScoreRows, scoringProgress } from './support/lead-scores-table.js';
import { metricValue } from './support/metric-value.js';
import { type ScoringUnderTest, startScoring } from './support/scoring-harness.js';
import { type CollectedTopic, collectTopic, eventually } from './support/topic-collector.js';

const database = useTestDatabase();
let scoring: ScoringUnderTest;
let scoreChanged: CollectedTopic;
let alerts: CollectedTopic;

const at = (day: number, hour: number) => new Date(Date.UTC(2026, 2, day, hour));
const activity = (
  leadId: string,
  id: string,
  type: string,
  when: Date,
  properties?: Record<string, JsonValue>,
): LeadActivity => ({
  leadId,
  id,
  type,
  occurredAt: when,
  data: { email: `${leadId}@acme.io`, ...(properties ? { properties } : {}) },
});

async function scoreAll(activities: readonly LeadActivity[]): Promise<void> {
  await appendActivities(scoring.pool, activities);
  await eventually(
    async () => {
      const { caughtUp, leads } = await scoringProgress(scoring.pool);
      return leads > 0 && caughtUp === leads;
    },
    async () => JSON.stringify(await scoringProgress(scoring.pool)),
  );
}

beforeAll(async () => {
  scoring = await startScoring({
    databaseUrl: database().url,
    brokers: kafkaBrokers(),
    topicPrefix: uniqueTopicPrefix(),
  });
  scoreChanged = await collectTopic(scoring.bus, scoring.topics.scoreChanged);
  alerts = await collectTopic(scoring.bus, scoring.topics.alerts);
  await scoring.startRelay();
}, 120_000);

afterAll(async () => {
  await scoring?.close();
});

it('a pricing revisit by a warm lead raises an alert; the same visit by a cold lead does not', async () => {
  await scoreAll([
    // warm: a form (+20) then pricing (+10) an hour later
    activity('warm-lead', 'warm-1', 'form.submitted', at(2, 9), { form: 'whitepaper' }),
    activity('warm-lead', 'warm-2', 'page.visited', at(2, 10), { url: '/pricing' }),
    // cold: pricing alone (+10) stays below warm (20)
    activity('cold-lead', 'cold-1', 'page.visited', at(2, 10), { url: '/pricing' }),
  ]);
  await eventually(
    () => alerts.messages.length >= 1,
    () => 'no alert yet',
  );
  // Give a wrong alert for the cold lead the time to show up too.
  await new Promise((resolve) => setTimeout(resolve, 1_000));

  expect(alerts.messages).toHaveLength(1);
  const [message] = alerts.messages;
  const alert = alertMessageSchema.parse(JSON.parse(message!.value.toString('utf8')));
  expect(message!.key).toBe('warm-lead');
  expect(alert).toMatchObject({
    leadId: 'warm-lead',
    eventId: 'warm-2',
    url: '/pricing',
    temperature: 'warm',
  });
  const events = [
    activity('warm-lead', 'warm-1', 'form.submitted', at(2, 9), { form: 'whitepaper' }),
    activity('warm-lead', 'warm-2', 'page.visited', at(2, 10), { url: '/pricing' }),
  ];
  expectClose(alert.score, canonicalScore(events).total, 'alert score');
});

it('an event arriving after later ones recomputes the lead to the canonical score', async () => {
  const recomputesBefore = await metricValue(scoring.metrics, 'leadscore_scoring_recomputes_total', {
    reason: 'late',
  });
  const onTime = [
    activity('late-lead', 'late-1', 'email.clicked', at(3, 9)),
    activity('late-lead', 'late-3', 'webinar.attended', at(10, 9)),
  ];
  await scoreAll(onTime);
  // Occurred between the two, stored after both.
  const late = activity('late-lead', 'late-2', 'form.submitted', at(5, 9), { form: 'demo-request' });
  await scoreAll([late]);

  const row = (await leadScoreRows(scoring.pool)).get('late-lead')!;
  const expected = canonicalScore([...onTime, late]);
  expectClose(row.total, expected.total, 'total after the late event');
  expect(row.temperature).toBe(expected.temperature);
  expect(row.scoredAt).toBe(at(10, 9).getTime());
  expect(await metricValue(scoring.metrics, 'leadscore_scoring_recomputes_total', { reason: 'late' })).toBe(
    recomputesBefore + 1,
  );

  await eventually(
    () => scoreChanged.values().some((value) => (value as { eventId?: string }).eventId === 'late-2'),
    () => 'no score-changed message for the late event',
  );
  const message = scoreChangedMessageSchema.parse(
    scoreChanged.values().find((value) => (value as { eventId?: string }).eventId === 'late-2'),
  );
  expect(message).toMatchObject({ leadId: 'late-lead', recomputed: true, scoredAt: at(10, 9).toISOString() });
  expectClose(message.new.total, expected.total, 'message total');
  expectClose(message.old!.total, canonicalScore(onTime).total, 'message old total');
});
