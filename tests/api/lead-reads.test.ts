import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { emailLeadId } from '../../packages/contracts/src/index.js';
import {
  compileRuleset,
  crossingThresholds,
  defaultRuleset,
  explainEvents,
  foldEvents,
  nextCrossing,
  scoreEvents,
} from '../../packages/scoring/src/index.js';
import { eventually } from '../eventstore/eventually.js';
import { useTestDatabase } from '../support/infra.js';
import { scoringEventsOf, seedJourney } from './support/journey.js';
import { KEYS, type Pipeline } from './support/pipeline.js';
import { expectProblem, get } from './support/requests.js';
import { startWithScoredJourney } from './support/seed.js';

const ruleset = compileRuleset(defaultRuleset);
const T = Date.UTC(2026, 2, 2, 9);
const EMAIL = 'Maria.Lopez@Northwind-Software.com';
const LEAD_ID = emailLeadId(EMAIL.toLowerCase());
const journey = seedJourney(EMAIL, T);

const database = useTestDatabase();
let pipeline: Pipeline;
let ids: string[];

beforeAll(async () => {
  ({ pipeline, ids } = await startWithScoredJourney(database().url, journey, T));
  // The projector decides after scoring: wait for the journey's last stage.
  await eventually(async () => {
    expect((await get(pipeline.api, `/v1/leads/${LEAD_ID}/stages`)).body.current?.stage).toBe('prospect');
  }, 30_000);
});

afterAll(async () => {
  await pipeline?.close();
});

describe('GET /v1/leads/{id} and /v1/leads/by-email/{email}', () => {
  it('shows the lead with its score decayed to now, as the engine computes it from the same events', async () => {
    const response = await get(pipeline.api, `/v1/leads/${LEAD_ID}`);
    expect(response.status).toBe(200);
    const now = pipeline.clock.now;
    const expected = scoreEvents(scoringEventsOf(journey, ids), ruleset, now);
    expect(response.body).toMatchObject({
      id: LEAD_ID,
      email: EMAIL.toLowerCase(),
      stage: { name: 'prospect' },
      score: {
        at: new Date(now).toISOString(),
        grade: expected.grade,
        temperature: expected.temperature,
      },
      scored: { at: journey.at(-1)?.occurredAt, eventId: ids.at(-1) },
      ruleset: { id: 'default', version: 1 },
      firstTouch: { utmSource: 'newsletter', utmMedium: 'email', utmCampaign: 'spring' },
    });
    expect(response.body.score.total).toBeCloseTo(expected.total, 9);
    expect(response.body.score.engagement).toBeCloseTo(expected.engagement, 9);
    expect(response.body.score.fit).toBe(expected.fit);
  });

  it('answers the next crossing after now, not the one after the latest event, as the clock moves on', async () => {
    const events = scoringEventsOf(journey, ids);
    const lastAt = Date.parse(journey.at(-1)!.occurredAt);
    const engineNextAfter = (at: number) =>
      nextCrossing(foldEvents(events, ruleset), crossingThresholds(ruleset), at, ruleset)?.at ?? null;
    const firstCrossing = engineNextAfter(lastAt);
    expect(firstCrossing).not.toBeNull();
    const before = pipeline.clock.now;
    try {
      for (const now of [lastAt, firstCrossing! + 1, firstCrossing! + 200 * 86_400_000]) {
        pipeline.clock.now = now;
        const { body } = await get(pipeline.api, `/v1/leads/${LEAD_ID}`);
        const expected = engineNextAfter(now);
        expect(body.nextCrossingAt).toBe(expected === null ? null : new Date(expected).toISOString());
        if (expected !== null) expect(expected).toBeGreaterThan(now);
        expect(body.scored).toMatchObject({
          total: expect.any(Number),
          temperature: scoreEvents(events, ruleset, lastAt).temperature,
        });
      }
    } finally {
      pipeline.clock.now = before;
    }
  });

  it('agrees with the scoring service: the score as of the last event is the one it stored', async () => {
    const { rows } = await pipeline.pool.query(
      'SELECT total, scored_at FROM lead_scores WHERE lead_id = $1',
      [LEAD_ID],
    );
    const at = rows[0].scored_at.toISOString();
    const response = await get(pipeline.api, `/v1/leads/${LEAD_ID}/score?at=${at}`);
    expect(response.body.score.total).toBeCloseTo(rows[0].total, 9);
  });

  it('finds the lead by email in any case', async () => {
    const response = await get(pipeline.api, `/v1/leads/by-email/${encodeURIComponent(EMAIL.toUpperCase())}`);
    expect(response.status).toBe(200);
    expect(response.body.id).toBe(LEAD_ID);
  });

  it('answers 404 problem+json for an unknown lead or email, and 400 naming a malformed one', async () => {
    expectProblem(await get(pipeline.api, '/v1/leads/nobody-42'), 404);
    expect((await get(pipeline.api, '/v1/leads/nobody-42')).body.type).toBe(
      'urn:leadscore:problem:lead-not-found',
    );
    expectProblem(await get(pipeline.api, '/v1/leads/by-email/nobody%40example.com'), 404);
    expectProblem(await get(pipeline.api, '/v1/leads/by-email/not-an-email'), 400, ['email']);
    expectProblem(await get(pipeline.api, `/v1/leads/${'x'.repeat(200)}`), 400, ['id']);
    expectProblem(await get(pipeline.api, '/v1/leads/%E0%A4%A'), 400);
  });

  it('answers 401 without a usable key and 403 for a key without the read scope', async () => {
    const none = await get(pipeline.api, `/v1/leads/${LEAD_ID}`, null);
    expectProblem(none, 401);
    expect(none.headers['www-authenticate']).toBe('Bearer realm="leadscore-api"');
    expectProblem(await get(pipeline.api, `/v1/leads/${LEAD_ID}`, 'guessed'), 401);
    // The ingest key is a real key, of another service: not one of the api's.
    expectProblem(await get(pipeline.api, `/v1/leads/${LEAD_ID}`, KEYS.ingest), 401);
  });
});

describe('GET /v1/leads/{id}/score', () => {
  it('explains the score: rules sum to engagement, and engagement + fit + clamp to the total', async () => {
    const response = await get(pipeline.api, `/v1/leads/${LEAD_ID}/score?explain=true`);
    expect(response.status).toBe(200);
    const { explanation, score } = response.body;
    const expected = explainEvents(scoringEventsOf(journey, ids), ruleset, pipeline.clock.now);
    const ruleSum = explanation.engagement.rules.reduce(
      (sum: number, rule: { decayedPoints: number }) => sum + rule.decayedPoints,
      0,
    );
    expect(ruleSum).toBeCloseTo(explanation.engagement.total, 9);
    expect(explanation.engagement.total + explanation.fit.total + explanation.clampAdjustment).toBeCloseTo(
      score.total,
      9,
    );
    expect(explanation.total).toBeCloseTo(expected.total, 9);
    expect(explanation.engagement.rules.map((rule: { ruleId: string }) => rule.ruleId).sort()).toEqual(
      expected.engagement.rules.map((rule) => rule.ruleId).sort(),
    );
  });

  it("takes the latest event as now when a sender's clock dated it ahead, as the lead itself does", async () => {
    const saved = pipeline.clock.now;
    const latest = Date.parse(journey.at(-1)!.occurredAt);
    pipeline.clock.now = latest - 60_000;
    try {
      const lead = (await get(pipeline.api, `/v1/leads/${LEAD_ID}`)).body;
      const score = (await get(pipeline.api, `/v1/leads/${LEAD_ID}/score`)).body;
      expect(lead.score.at).toBe(new Date(latest).toISOString());
      expect(score.eventsCounted).toBe(journey.length);
      expect(score.score.total).toBeCloseTo(lead.score.total, 9);
    } finally {
      pipeline.clock.now = saved;
    }
  });

  it('leaves the explanation out unless asked, and refuses a malformed instant or flag naming them', async () => {
    expect((await get(pipeline.api, `/v1/leads/${LEAD_ID}/score`)).body.explanation).toBeUndefined();
    expectProblem(await get(pipeline.api, `/v1/leads/${LEAD_ID}/score?at=yesterday&explain=maybe`), 400, [
      'at',
      'explain',
    ]);
    expectProblem(await get(pipeline.api, '/v1/leads/nobody-42/score'), 404);
  });
});

describe('GET /v1/leads/{id}/events', () => {
  it('pages through the whole stream in order, activity and stage changes, each event once', async () => {
    const seen: { eventId: string; streamPosition: number; type: string }[] = [];
    let cursor: string | null = null;
    do {
      const query: string = cursor ? `?limit=4&cursor=${cursor}` : '?limit=4';
      const page = await get(pipeline.api, `/v1/leads/${LEAD_ID}/events${query}`);
      expect(page.status).toBe(200);
      expect(page.body.events.length).toBeLessThanOrEqual(4);
      seen.push(...page.body.events);
      cursor = page.body.nextCursor;
    } while (cursor);
    expect(seen.map((event) => event.streamPosition)).toEqual(seen.map((_, index) => index + 1));
    expect(seen.filter((event) => event.type !== 'LeadStageChanged').map((event) => event.eventId)).toEqual(
      ids,
    );
    expect(seen.filter((event) => event.type === 'LeadStageChanged')).toHaveLength(3);
  });

  it('refuses a cursor it did not issue and a limit out of range, and 404s an unknown lead', async () => {
    expectProblem(await get(pipeline.api, `/v1/leads/${LEAD_ID}/events?cursor=bm9wZQ`), 400, ['cursor']);
    expectProblem(await get(pipeline.api, `/v1/leads/${LEAD_ID}/events?limit=0`), 400, ['limit']);
    expectProblem(await get(pipeline.api, '/v1/leads/nobody-42/events'), 404);
  });

  it('refuses a tampered cursor as one it did not return', async () => {
    const encode = (position: unknown) => Buffer.from(JSON.stringify(position)).toString('base64url');
    for (const position of [
      { l: `${LEAD_ID}\u0000`, p: 1 },
      { l: LEAD_ID, p: 2 ** 53 },
      { l: LEAD_ID, p: 1, extra: true },
    ]) {
      const response = await get(pipeline.api, `/v1/leads/${LEAD_ID}/events?cursor=${encode(position)}`);
      expectProblem(response, 400, ['cursor']);
      expect(response.body.errors[0].message, JSON.stringify(position)).toBe(
        'is not a cursor this API returned',
      );
    }
  });
});

describe('GET /v1/leads/{id}/stages', () => {
  it('shows lead -> mql -> sql -> prospect in order, each as the stored event CRMs receive', async () => {
    const response = await get(pipeline.api, `/v1/leads/${LEAD_ID}/stages`);
    expect(response.status).toBe(200);
    const history = response.body.history as { eventId: string; from: string; to: string; at: string }[];
    expect(history.map((change) => `${change.from}->${change.to}`)).toEqual([
      'lead->mql',
      'mql->sql',
      'sql->prospect',
    ]);
    expect(response.body.current).toEqual({ stage: 'prospect', since: history.at(-1)?.at });
    const { rows } = await pipeline.pool.query(
      `SELECT event_id FROM eventstore.messages WHERE stream_id = $1 AND type = 'LeadStageChanged' ORDER BY stream_position`,
      [`lead-${LEAD_ID}`],
    );
    expect(history.map((change) => change.eventId)).toEqual(rows.map((row) => row.event_id));
  });

  it('404s an unknown lead', async () => {
    expectProblem(await get(pipeline.api, '/v1/leads/nobody-42/stages'), 404);
  });
});

describe('OpenAPI document and Swagger UI', () => {
  it('serves at /docs/json exactly the committed openapi/openapi.json, and Swagger UI at /docs', async () => {
    const served = await pipeline.api.inject({ url: '/docs/json' });
    const committed = JSON.parse(
      await readFile(new URL('../../openapi/openapi.json', import.meta.url), 'utf8'),
    );
    expect(served.json()).toEqual(committed);
    const ui = await pipeline.api.inject({ url: '/docs/' });
    expect(ui.statusCode).toBe(200);
    expect(ui.headers['content-type']).toContain('text/html');
  });
});
