import { afterAll, beforeAll, expect, it } from 'vitest';
import { topics as topicNames } from '../../packages/contracts/src/index.js';
import { createKafkaBus, type Subscription } from '../../packages/kafka/src/index.js';
import { createLogger, createPool, runMigrations } from '../../packages/platform/src/index.js';
import {
  draftRuleset,
  ensureDefaultRuleset,
  findRescoringJob,
  publishRuleset,
} from '../../packages/rulesets/src/index.js';
import { compileRuleset, defaultRuleset, scoreEvents } from '../../packages/scoring/src/index.js';
import { eventually } from '../eventstore/eventually.js';
import { freeLoopbackPort } from '../setup/free-port.js';
import { kafkaBrokers, uniqueTopicPrefix, useTestDatabase } from '../support/infra.js';
import { ServiceProcess, waitUntilAnswering } from '../support/service-process.js';
import { clicksTimes } from './support/clicks-ruleset.js';
import { storedScoringEvents } from './support/leads.js';
import { leadEvents, seedStoredLeads } from './support/stored-leads.js';

const LEADS = 3_000;
const BATCH = 40;
const T = Date.UTC(2026, 5, 1, 8);
const logger = createLogger({ service: 'scoring', level: 'silent' });
const database = useTestDatabase();
const topicPrefix = uniqueTopicPrefix();
const topics = topicNames(topicPrefix);
const doubled = { ...clicksTimes(2), version: 2 };

let pool: ReturnType<typeof createPool>;
const bus = createKafkaBus({ brokers: kafkaBrokers(), clientId: 'rescoring-crash-test', logger });
let collector: Subscription;
const rescored: string[] = [];

beforeAll(async () => {
  await runMigrations({ databaseUrl: database().url, logger });
  pool = createPool({
    connectionString: database().url,
    applicationName: 'rescoring-crash-test',
    max: 8,
    statementTimeoutMs: 60_000,
    logger,
  });
  await ensureDefaultRuleset(pool);
  const leads = Array.from({ length: LEADS }, (_, i) => {
    const leadId = `crash-${String(i).padStart(5, '0')}`;
    return { leadId, events: leadEvents(leadId, T + i * 1_000, 1 + (i % 7)) };
  });
  await seedStoredLeads(pool, leads, compileRuleset(defaultRuleset));
  await bus.ensureTopics([{ name: topics.scoreChanged, partitions: 6 }]);
  collector = await bus.subscribe({
    groupId: `${topicPrefix}crash-collector`,
    topics: [topics.scoreChanged],
    fromBeginning: true,
    handleBatch: async (batch) => {
      for (const message of batch.messages) {
        const value = JSON.parse(message.value.toString('utf8'));
        if (value.rescore !== undefined) rescored.push(value.leadId);
      }
    },
  });
});

afterAll(async () => {
  await collector?.stop();
  await bus.close();
  await pool?.end();
});

async function startScoring(): Promise<{ service: ServiceProcess; url: string }> {
  const port = await freeLoopbackPort();
  const service = new ServiceProcess('scoring', {
    NODE_ENV: 'production',
    LOG_LEVEL: 'warn',
    PORT: String(port),
    HOST: '127.0.0.1',
    DATABASE_URL: database().url,
    KAFKA_BROKERS: kafkaBrokers().join(','),
    TOPIC_PREFIX: topicPrefix,
    SCORING_RESCORING_BATCH_SIZE: String(BATCH),
  });
  const url = `http://127.0.0.1:${port}`;
  await waitUntilAnswering(`${url}/healthz`, service, 60_000);
  return { service, url };
}

it('a scoring service killed halfway through rescoring resumes from the checkpoint and finishes the job once', async () => {
  const draft = await draftRuleset(pool, { document: doubled, author: 'test', comment: 'clicks x2' });
  const { job } = await publishRuleset(pool, { version: draft.version, author: 'test', comment: '' });
  expect(job.totalLeads).toBe(LEADS);

  const first = await startScoring();
  const halfway = await eventually(async () => {
    const progress = await findRescoringJob(pool, job.jobId);
    expect(progress!.processedLeads).toBeGreaterThanOrEqual(LEADS / 3);
    return progress!;
  }, 60_000);
  first.service.kill('SIGKILL');
  await first.service.waitForExit(10_000);
  const atKill = (await findRescoringJob(pool, job.jobId))!;
  expect(atKill.status).toBe('running');
  expect(atKill.processedLeads).toBeGreaterThanOrEqual(halfway.processedLeads);
  expect(atKill.processedLeads).toBeLessThan(LEADS);

  const second = await startScoring();
  try {
    const done = await eventually(async () => {
      const progress = await findRescoringJob(pool, job.jobId);
      expect(progress!.status).toBe('completed');
      return progress!;
    }, 120_000);
    // Each lead counted once: progress and checkpoint commit with the batch's scores.
    expect(done).toMatchObject({
      processedLeads: LEADS,
      rescoredLeads: LEADS,
      skippedLeads: 0,
      changedLeads: LEADS,
    });
    const metrics = await (await fetch(`${second.url}/metrics`)).text();
    expect(metrics).toMatch(
      new RegExp(`leadscore_rescoring_progress_ratio\\{ruleset_version="${draft.version}"[^}]*\\} 1`),
    );
  } finally {
    await second.service.stop();
  }

  const { rows } = await pool.query(
    `SELECT lead_id, total, scored_at, ruleset_version FROM lead_scores ORDER BY lead_id`,
  );
  expect(rows).toHaveLength(LEADS);
  const v2 = compileRuleset(doubled);
  for (const row of rows.filter((_, i) => i % 50 === 0)) {
    const expected = scoreEvents(await storedScoringEvents(pool, row.lead_id), v2, row.scored_at.getTime());
    expect(row.ruleset_version).toBe(2);
    expect(row.total).toBe(expected.total);
  }
  expect(rows.every((row) => row.ruleset_version === 2)).toBe(true);
  // Every lead's rescore was published (at least once; a batch in flight at the kill may be twice).
  await eventually(async () => expect(new Set(rescored).size).toBe(LEADS), 30_000);
  expect(rescored.length - LEADS).toBeLessThanOrEqual(BATCH);
  const outbox = await pool.query(
    'SELECT (SELECT count(*) FROM scoring_outbox) + (SELECT count(*) FROM rescoring_outbox) AS n',
  );
  expect(Number(outbox.rows[0].n)).toBe(0);
}, 240_000);
