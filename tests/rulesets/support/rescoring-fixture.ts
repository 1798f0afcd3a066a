import type pg from 'pg';
import { afterAll, beforeAll } from 'vitest';
import { type LeadEvent, leadStreamId, type Topics, topics } from '../../../packages/contracts/src/index.js';
import { appendToStreams, readStream, toLeadEvent } from '../../../packages/eventstore/src/index.js';
import {
  createLogger,
  createMetricsRegistry,
  createPool,
  runMigrations,
} from '../../../packages/platform/src/index.js';
import {
  ensureDefaultRuleset,
  type StoredRulesets,
  storedRulesets,
} from '../../../packages/rulesets/src/index.js';
import { compileRuleset, defaultRuleset } from '../../../packages/scoring/src/index.js';
import { scoreBatch } from '../../../services/scoring/src/consumer/score-batch.js';
import { createScoringMetrics } from '../../../services/scoring/src/metrics.js';
import { storedActiveRuleset } from '../../../services/scoring/src/rulesets/stored-active-ruleset.js';
import type { PendingPublication } from '../../../services/scoring/src/store/scoring-outbox.js';
import { useTestDatabase } from '../../support/infra.js';
import { leadEvents, seedStoredLeads } from './stored-leads.js';

export interface RescoringFixture {
  readonly pool: () => pg.Pool;
  readonly names: Topics;
  readonly rulesets: StoredRulesets;
  /** Appends a click to the lead's stream; returns it as the lead-events topic carries it. */
  readonly appendClick: (leadId: string, occurredAt: number) => Promise<LeadEvent>;
  /** The live scorer's transaction for these events, as the scoring consumer runs it. */
  readonly scoreLive: (events: readonly LeadEvent[]) => Promise<PendingPublication[]>;
}

/**
 * A database of the test file's own with leads stored and scored under the default ruleset (a
 * few clicks and a download each, `clicks(i)` for the i-th lead, one second apart from `start`),
 * and the scoring service's pieces run in this process on it: no services, no Kafka.
 */
export function useStoredLeadsForRescoring(
  leadIds: readonly string[],
  start: number,
  clicks: (index: number) => number,
): RescoringFixture {
  const database = useTestDatabase();
  const logger = createLogger({ service: 'scoring', level: 'fatal' });
  const names = topics(`${leadIds[0] ?? 'rescoring'}.`);
  const rulesets = storedRulesets();
  let pool: pg.Pool | undefined;
  const poolOf = () => {
    if (pool === undefined) throw new Error('the fixture is used before its beforeAll ran');
    return pool;
  };

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
      leadIds.map((leadId, i) => ({ leadId, events: leadEvents(leadId, start + i * 1_000, clicks(i)) })),
      compileRuleset(defaultRuleset),
    );
  });

  afterAll(async () => {
    await pool?.end();
  });

  return {
    pool: poolOf,
    names,
    rulesets,
    async appendClick(leadId, occurredAt) {
      const streamId = leadStreamId(leadId);
      await appendToStreams(poolOf(), [
        {
          streamId,
          events: [
            {
              id: `${leadId}-click-at-${occurredAt}`,
              type: 'email.clicked',
              data: {},
              occurredAt: new Date(occurredAt),
            },
          ],
        },
      ]);
      const { events } = await readStream(poolOf(), streamId);
      return toLeadEvent(events.at(-1)!, leadId);
    },
    async scoreLive(events) {
      const metrics = createScoringMetrics(createMetricsRegistry('scoring'));
      return scoreBatch(
        { pool: poolOf(), topics: names, logger, metrics, now: Date.now },
        storedActiveRuleset(rulesets),
        { events, leadsToRecompute: [] },
      );
    },
  };
}
