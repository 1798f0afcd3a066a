/**
 * A rescoring batch stores its messages as one rescoring_outbox row (services/scoring/src/
 * rescoring/rescoring-outbox.ts). When its publish does not happen (a crash, a broker outage) the
 * messages must still all be published, each lead's before anything newer of that lead: by the
 * live scorer for the leads it scores next, and by the job's next batch for the others.
 */
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
import { compileRuleset, defaultRuleset } from '../../packages/scoring/src/index.js';
import { scoreBatch } from '../../services/scoring/src/consumer/score-batch.js';
import { createScoringMetrics } from '../../services/scoring/src/metrics.js';
import { rescoreNextBatch } from '../../services/scoring/src/rescoring/rescore-batch.js';
import { storedActiveRuleset } from '../../services/scoring/src/rulesets/stored-active-ruleset.js';
import {
  deletePublications,
  type PendingPublication,
} from '../../services/scoring/src/store/scoring-outbox.js';
import { useTestDatabase } from '../support/infra.js';
import { leadEvents, seedStoredLeads } from './support/stored-leads.js';

const T = Date.UTC(2026, 5, 1, 9);
const BATCH = 10;
const leadIds = Array.from({ length: 25 }, (_, i) => `lead-${String(i).padStart(2, '0')}`);
const { version: _v1, ...doubled } = structuredClone(defaultRuleset);
doubled.engagement = doubled.engagement.map((rule) =>
  rule.id === 'email-clicked' ? { ...rule, points: rule.points * 2 } : rule,
);

const database = useTestDatabase();
const logger = createLogger({ service: 'scoring', level: 'fatal' });
const names = topics('rescoring-outbox.');
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
    leadIds.map((leadId, i) => ({ leadId, events: leadEvents(leadId, T + i * 1_000, 2) })),
    compileRuleset(defaultRuleset),
  );
});

afterAll(async () => {
  await pool?.end();
});

async function outboxes() {
  const { rows } = await pool.query<{ rows: number; batches: number }>(
    `SELECT (SELECT count(*)::int FROM scoring_outbox) AS rows,
            (SELECT count(*)::int FROM rescoring_outbox) AS batches`,
  );
  return rows[0]!;
}

const leadsOf = (pending: readonly PendingPublication[]) => pending.map(({ leadId }) => leadId);
const isRescore = (publication: PendingPublication) => JSON.parse(publication.value).rescore !== undefined;

/** A click appended to the lead's stream and scored by the live scorer, as the consumer would. */
async function scoreNewClick(leadId: string): Promise<PendingPublication[]> {
  await appendToStreams(pool, [
    {
      streamId: leadStreamId(leadId),
      events: [
        { id: `${leadId}-new-click`, type: 'email.clicked', data: {}, occurredAt: new Date(T + 3_600_000) },
      ],
    },
  ]);
  const { events } = await readStream(pool, leadStreamId(leadId));
  const metrics = createScoringMetrics(createMetricsRegistry('scoring'));
  return scoreBatch({ pool, topics: names, logger, metrics, now: Date.now }, storedActiveRuleset(rulesets), {
    events: [toLeadEvent(events.at(-1)!, leadId)],
    leadsToRecompute: [],
  });
}

it('publishes every message of a batch whose publish never happened, each lead in order', async () => {
  const draft = await draftRuleset(pool, { document: doubled, author: 'test', comment: '' });
  await publishRuleset(pool, { version: draft.version, author: 'test', comment: '' });
  const context = { pool, rulesets, topics: names, batchSize: BATCH, now: Date.now };

  // The first batch commits; its publish never happens. Its ten messages are ONE row.
  const first = await rescoreNextBatch(context);
  expect(leadsOf(first.pending)).toEqual(leadIds.slice(0, BATCH));
  expect(first.pending.every(isRescore)).toBe(true);
  expect(new Set(first.pending.map(({ entry }) => `${entry.table}:${entry.id}`)).size).toBe(1);
  expect(await outboxes()).toEqual({ rows: 0, batches: 1 });

  // A live batch of lead-03 publishes its rescore first, then its new change.
  const live = await scoreNewClick('lead-03');
  expect(live.map((p) => [p.leadId, isRescore(p)])).toEqual([
    ['lead-03', true],
    ['lead-03', false],
  ]);
  expect(live[0]!.value).toBe(first.pending[3]!.value);
  // The batch was unpacked: the nine other leads' messages wait in scoring_outbox.
  expect(await outboxes()).toEqual({ rows: 11, batches: 0 });
  await deletePublications(pool, live);

  // The job's next batch publishes them first, then its own.
  const second = await rescoreNextBatch(context);
  expect(leadsOf(second.pending)).toEqual([
    ...leadIds.slice(0, BATCH).filter((leadId) => leadId !== 'lead-03'),
    ...leadIds.slice(BATCH, 2 * BATCH),
  ]);
  expect(second.pending.map(({ value }) => value).slice(0, 3)).toEqual(
    [0, 1, 2].map((i) => first.pending[i]!.value),
  );
  await deletePublications(pool, second.pending);
  expect(await outboxes()).toEqual({ rows: 0, batches: 0 });

  // A batch left whole is published by the next batch as it was stored.
  const third = await rescoreNextBatch(context);
  expect(third.batch?.finished).toBe(true);
  expect(leadsOf(third.pending)).toEqual(leadIds.slice(2 * BATCH));
  const after = await rescoreNextBatch(context);
  expect(after.pending.map(({ value }) => value)).toEqual(third.pending.map(({ value }) => value));
  await deletePublications(pool, after.pending);
  expect(await outboxes()).toEqual({ rows: 0, batches: 0 });
});
