import type pg from 'pg';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { leadStreamId, topics } from '../../packages/contracts/src/index.js';
import { appendToStreams, readStream, toLeadEvent } from '../../packages/eventstore/src/index.js';
import {
  createLogger,
  createMetricsRegistry,
  createPool,
  runMigrations,
} from '../../packages/platform/src/index.js';
import {
  draftRuleset,
  ensureDefaultRuleset,
  publishRuleset,
  storedRulesets,
} from '../../packages/rulesets/src/index.js';
import { compileRuleset, defaultRuleset, foldEvents, scoreEvents } from '../../packages/scoring/src/index.js';
import { scoreBatch } from '../../services/scoring/src/consumer/score-batch.js';
import { createScoringMetrics } from '../../services/scoring/src/metrics.js';
import { prepareBatch } from '../../services/scoring/src/rescoring/prepare-batch.js';
import { rescoreNextBatch } from '../../services/scoring/src/rescoring/rescore-batch.js';
import { storedActiveRuleset } from '../../services/scoring/src/rulesets/stored-active-ruleset.js';
import { readLeadScoresAfter } from '../../services/scoring/src/store/lead-scores.js';
import { useTestDatabase } from '../support/infra.js';
import { storedScoringEvents } from './support/leads.js';
import { leadEvents, seedStoredLeads } from './support/stored-leads.js';

// A batch prepared ahead of its transaction, then overtaken before it commits: the live scorer
// rescores one lead itself (its row moves) and another lead gets an event the scorer has not
// consumed yet. Neither event may be lost or counted twice.
const T = Date.UTC(2026, 5, 1, 9);
const leadIds = ['appended', 'moved', 'quiet'];
const { version: _v1, ...doubled } = structuredClone(defaultRuleset);
doubled.engagement = doubled.engagement.map((rule) =>
  rule.id === 'email-clicked' ? { ...rule, points: rule.points * 2 } : rule,
);

const database = useTestDatabase();
const logger = createLogger({ service: 'scoring', level: 'fatal' });
const names = topics('prepared.');
const rulesets = storedRulesets();
let pool: pg.Pool;

beforeAll(async () => {
  await runMigrations({ databaseUrl: database().url, logger });
  pool = createPool({
    connectionString: database().url,
    applicationName: 'test',
    max: 4,
    statementTimeoutMs: 10_000,
    logger,
  });
  await ensureDefaultRuleset(pool);
  await seedStoredLeads(
    pool,
    leadIds.map((leadId, i) => ({ leadId, events: leadEvents(leadId, T + i * 1_000, 2 + i) })),
    compileRuleset(defaultRuleset),
  );
});

afterAll(async () => {
  await pool?.end();
});

/** Appends a click to the lead's stream; returns it as the lead-events topic carries it. */
async function appendClick(leadId: string) {
  await appendToStreams(pool, [
    {
      streamId: leadStreamId(leadId),
      events: [
        { id: `${leadId}-late-click`, type: 'email.clicked', data: {}, occurredAt: new Date(T + 3_600_000) },
      ],
    },
  ]);
  const { events } = await readStream(pool, leadStreamId(leadId));
  return toLeadEvent(events.at(-1)!, leadId);
}

/** The live scorer's transaction for one event, as the scoring consumer runs it. */
async function scoreLive(event: Awaited<ReturnType<typeof appendClick>>) {
  const metrics = createScoringMetrics(createMetricsRegistry('scoring'));
  await scoreBatch({ pool, topics: names, logger, metrics, now: Date.now }, storedActiveRuleset(rulesets), {
    events: [event],
    leadsToRecompute: [],
  });
}

it('a prepared batch overtaken by live scoring leaves every lead equal to a from-scratch fold under the new version', async () => {
  const draft = await draftRuleset(pool, { document: doubled, author: 'test', comment: '' });
  const { job } = await publishRuleset(pool, { version: draft.version, author: 'test', comment: '' });
  const context = { pool, rulesets, topics: names, batchSize: 10, now: Date.now };
  const prepared = await prepareBatch(context, job, null);
  expect([...prepared.leads.keys()]).toEqual(leadIds);

  await scoreLive(await appendClick('moved'));
  const unscored = await appendClick('appended');
  const outcome = await rescoreNextBatch(context, prepared);
  await scoreLive(unscored);

  // 'moved' was rescored by the scorer under the new version; the job leaves it alone.
  expect(outcome.batch).toMatchObject({
    processedLeads: 3,
    rescoredLeads: 2,
    skippedLeads: 1,
    finished: true,
  });
  const ruleset = compileRuleset({ ...doubled, version: draft.version });
  const records = new Map(
    (await readLeadScoresAfter(pool, null, 10)).map(({ record }) => [record.leadId, record]),
  );
  for (const leadId of leadIds) {
    const events = await storedScoringEvents(pool, leadId);
    const latest = Math.max(...events.map((event) => event.occurredAt));
    const record = records.get(leadId)!;
    expect(record.rulesetVersion, leadId).toBe(draft.version);
    expect(record.state, leadId).toEqual(foldEvents(events, ruleset));
    expect(record.view.total, leadId).toBe(scoreEvents(events, ruleset, latest).total);
    const { events: stored } = await readStream(pool, leadStreamId(leadId));
    expect(record.lastGlobalPosition, leadId).toBe(stored.at(-1)!.globalPosition);
  }
});
