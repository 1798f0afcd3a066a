import type { FastifyInstance } from 'fastify';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { emailLeadId } from '../../packages/contracts/src/index.js';
import {
  createLogger,
  createMetricsRegistry,
  hashApiKey,
  loadConfig,
} from '../../packages/platform/src/index.js';
import { draftRuleset, publishRuleset } from '../../packages/rulesets/src/index.js';
import { compileRuleset, defaultRuleset, scoreEvents } from '../../packages/scoring/src/index.js';
import { buildApp as buildApi } from '../../services/api/src/app.js';
import { kafkaBrokers, useTestDatabase } from '../support/infra.js';
import { scoringEventsOf, seedJourney } from './support/journey.js';
import { KEYS, type Pipeline } from './support/pipeline.js';
import { get } from './support/requests.js';
import { startWithScoredJourney } from './support/seed.js';

// Lead reads are what latency probes poll: each should cost one database round trip, the lead
// row with the ruleset catalog's version selected beside it, not a second one to check the catalog.

const T = Date.UTC(2026, 3, 6, 9);
const EMAIL = 'round.trips@northwind-software.com';
const LEAD_ID = emailLeadId(EMAIL);
const journey = seedJourney(EMAIL, T);

const database = useTestDatabase();
let pipeline: Pipeline;
let ids: string[];
/** An api of its own on a pool that counts its queries: the pipeline's services share theirs. */
let api: FastifyInstance;
const queries = { count: 0 };

function countingPool(pool: pg.Pool): pg.Pool {
  return new Proxy(pool, {
    get(target, property) {
      const value = Reflect.get(target, property, target);
      if (property === 'query') {
        return (...args: unknown[]) => {
          queries.count += 1;
          return (value as (...args: unknown[]) => unknown).apply(target, args);
        };
      }
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

/** How many queries one request made, and its response. */
async function counted(url: string) {
  queries.count = 0;
  const response = await get(api, url);
  return { response, queries: queries.count };
}

beforeAll(async () => {
  ({ pipeline, ids } = await startWithScoredJourney(database().url, journey, T));
  const config = loadConfig(
    {
      NODE_ENV: 'test',
      DATABASE_URL: database().url,
      KAFKA_BROKERS: kafkaBrokers().join(','),
      API_KEYS: `dashboard:${hashApiKey(KEYS.read).toString('hex')}:read`,
    },
    'api',
  );
  api = await buildApi(
    {
      config,
      logger: createLogger({ service: 'api', level: 'silent' }),
      pool: countingPool(pipeline.pool),
      bus: pipeline.bus,
      metrics: createMetricsRegistry('api'),
    },
    { now: () => pipeline.clock.now },
  );
  await api.ready();
});

afterAll(async () => {
  await api?.close();
  await pipeline?.close();
});

describe('lead reads cost one round trip', () => {
  it('GET /v1/leads/{id}, by email and the list: one query each once the catalog is cached', async () => {
    await get(api, `/v1/leads/${LEAD_ID}`); // the first read loads the catalog
    const byId = await counted(`/v1/leads/${LEAD_ID}`);
    const byEmail = await counted(`/v1/leads/by-email/${EMAIL}`);
    const list = await counted('/v1/leads?limit=5');
    console.info(
      `queries per request: by id ${byId.queries}, by email ${byEmail.queries}, list ${list.queries}`,
    );

    expect(byId.response.status).toBe(200);
    expect(byId.queries).toBe(1);
    expect(byEmail.response.body.id).toBe(LEAD_ID);
    expect(byEmail.queries).toBe(1);
    expect(list.response.body.leads.map((lead: { id: string }) => lead.id)).toEqual([LEAD_ID]);
    expect(list.queries).toBe(1);
  });

  it('a lead that does not exist: a 404 for one query', async () => {
    const missing = await counted('/v1/leads/nobody-here');
    expect(missing.response.status).toBe(404);
    expect(missing.queries).toBe(1);
  });

  it('answers under a newly published version at once: the row read sees the catalog moved', async () => {
    await get(api, `/v1/leads/${LEAD_ID}`); // cached under version 1
    const doubled = { ...structuredClone(defaultRuleset), version: 2 };
    doubled.engagement = doubled.engagement.map((rule) => ({ ...rule, points: rule.points * 2 }));
    const draft = await draftRuleset(pipeline.pool, { document: doubled, author: 'test', comment: 'x2' });
    await publishRuleset(pipeline.pool, { version: draft.version, author: 'test', comment: '' });

    const { response } = await counted(`/v1/leads/${LEAD_ID}`);
    const expected = scoreEvents(scoringEventsOf(journey, ids), compileRuleset(doubled), pipeline.clock.now);
    const before = scoreEvents(
      scoringEventsOf(journey, ids),
      compileRuleset(defaultRuleset),
      pipeline.clock.now,
    );
    expect(expected.engagement).not.toBeCloseTo(before.engagement, 6);
    expect(response.body.score.engagement).toBeCloseTo(expected.engagement, 9);
    expect(response.body.score.total).toBeCloseTo(expected.total, 9);
  });
});
