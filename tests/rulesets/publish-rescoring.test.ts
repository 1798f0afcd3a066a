import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Topics } from '../../packages/contracts/src/index.js';
import type { ConsumedMessage, Subscription } from '../../packages/kafka/src/index.js';
import {
  compileRuleset,
  defaultRuleset,
  type Ruleset,
  scoreEvents,
} from '../../packages/scoring/src/index.js';
import { KEYS, usePipeline } from '../api/support/pipeline.js';
import { call, expectProblem, get } from '../api/support/requests.js';
import { countByLead, DAY, postEvents, untilScored } from '../api/support/seed.js';
import { eventually } from '../eventstore/eventually.js';
import { activities, storedScoringEvents } from './support/leads.js';

// Recent, by the wall clock the scoring service and the projector run on: a publication moves leads
// on their scores as of its own instant, decayed since their events.
const T = Math.floor((Date.now() - 6 * 3_600_000) / 60_000) * 60_000;
const admin = { key: KEYS.admin };

// Under the default ruleset (mql at 50; clicks +3, downloads +8, page visits +1, forms +20):
const journeys = [
  // 8 clicks + a download = 32; with clicks doubled 56: pushed over mql by the new version alone.
  ...activities('near-mql', 'email.clicked', 8, T),
  ...activities('near-mql', 'content.downloaded', 1, T + 10 * 60_000),
  // Two forms (40) + 4 clicks (12) = 52: already mql; the new version changes its score, not its stage.
  ...activities('already-mql', 'form.submitted', 2, T, { form: 'contact' }),
  ...activities('already-mql', 'email.clicked', 4, T + 5 * 60_000),
  // 2 clicks = 6, doubled 12: still a lead.
  ...activities('far', 'email.clicked', 2, T),
  // No clicks: nothing about it changes, nothing about it is published.
  ...activities('no-clicks', 'page.visited', 3, T, { url: 'https://acme.example/blog' }),
];
const leadIds = ['already-mql', 'far', 'near-mql', 'no-clicks'];

const pipeline = usePipeline({ clock: T + DAY });
let collector: Subscription;
const received: Record<'scoreChanged' | 'stageChanged', ConsumedMessage[]> = {
  scoreChanged: [],
  stageChanged: [],
};

beforeAll(async () => {
  const watched: (keyof typeof received & keyof Topics)[] = ['scoreChanged', 'stageChanged'];
  collector = await pipeline().bus.subscribe({
    groupId: `${pipeline().topicPrefix}rulesets-collector`,
    topics: watched.map((name) => pipeline().topics[name]),
    fromBeginning: true,
    handleBatch: async (batch) => {
      const name = watched.find((key) => pipeline().topics[key] === batch.topic)!;
      received[name].push(...batch.messages);
    },
  });
  await postEvents(pipeline(), journeys);
  await untilScored(pipeline(), countByLead(journeys));
  await eventually(async () => {
    const { rows } = await pipeline().pool.query('SELECT count(*)::int AS n FROM lead_stages');
    expect(rows[0].n).toBe(leadIds.length);
  }, 30_000);
});

afterAll(async () => {
  await collector?.stop();
});

const json = (message: ConsumedMessage) => JSON.parse(message.value.toString('utf8'));

async function draft(ruleset: unknown, comment = '') {
  return call(pipeline().api, 'POST', '/v1/rulesets', {
    ...admin,
    body: { ruleset, author: 'ops', comment },
  });
}

function withoutVersion(ruleset: Ruleset): Omit<Ruleset, 'version'> {
  const { version: _version, ...document } = structuredClone(ruleset);
  return document;
}

describe('a new database', () => {
  it('has the default ruleset as version 1, the active one', async () => {
    const list = await get(pipeline().api, '/v1/rulesets', KEYS.admin);
    expect(list.status).toBe(200);
    expect(list.body).toMatchObject({ activeVersion: 1, versions: [{ version: 1, status: 'active' }] });
    const one = await get(pipeline().api, '/v1/rulesets/active', KEYS.admin);
    expect(one.body.ruleset).toEqual(defaultRuleset);
  });

  it('lets only admin keys manage rulesets', async () => {
    expectProblem(await get(pipeline().api, '/v1/rulesets', KEYS.read), 403);
    expectProblem(await get(pipeline().api, '/v1/rulesets', null), 401);
  });
});

describe('publishing a ruleset that doubles email.clicked points', () => {
  const doubled: Ruleset = structuredClone(defaultRuleset);
  doubled.version = 2;
  doubled.engagement.find((rule) => rule.id === 'email-clicked')!.points = 6;
  const v2 = compileRuleset(doubled);
  let jobId: string;
  let before: Map<string, number>;

  beforeAll(async () => {
    const { rows } = await pipeline().pool.query('SELECT lead_id, total FROM lead_scores');
    before = new Map(rows.map((row) => [row.lead_id, row.total]));
    const drafted = await draft(withoutVersion(doubled), 'clicks are worth twice as much');
    expect(drafted.status, JSON.stringify(drafted.body)).toBe(201);
    expect(drafted.body).toMatchObject({
      version: 2,
      status: 'draft',
      comment: 'clicks are worth twice as much',
    });
    const published = await call(pipeline().api, 'POST', '/v1/rulesets/2/publish', {
      ...admin,
      body: { author: 'ops' },
    });
    expect(published.status, JSON.stringify(published.body)).toBe(202);
    expect(published.headers.location).toBe(`/v1/rescoring/${published.body.job.jobId}`);
    jobId = published.body.job.jobId;
    await eventually(async () => {
      const job = await get(pipeline().api, `/v1/rescoring/${jobId}`);
      expect(job.body.status).toBe('completed');
    }, 30_000);
  });

  it('makes version 2 the active one and retires version 1', async () => {
    const list = await get(pipeline().api, '/v1/rulesets', KEYS.admin);
    expect(list.body.activeVersion).toBe(2);
    expect(list.body.versions.map((v: { version: number; status: string }) => [v.version, v.status])).toEqual(
      [
        [2, 'active'],
        [1, 'retired'],
      ],
    );
  });

  it('rescores every lead to exactly what the engine computes from its stored events under version 2', async () => {
    const { rows } = await pipeline().pool.query(
      'SELECT lead_id, total, engagement, ruleset_version, scored_at FROM lead_scores ORDER BY lead_id',
    );
    expect(rows.map((row) => row.lead_id)).toEqual(leadIds);
    for (const row of rows) {
      const expected = scoreEvents(
        await storedScoringEvents(pipeline().pool, row.lead_id),
        v2,
        row.scored_at.getTime(),
      );
      expect(row.ruleset_version).toBe(2);
      expect(row.total, row.lead_id).toBe(expected.total);
      expect(row.engagement, row.lead_id).toBe(expected.engagement);
    }
    expect(rows.find((row) => row.lead_id === 'no-clicks')?.total).toBe(before.get('no-clicks'));
  });

  it('answers score reads and time travel under version 2 once it is active', async () => {
    for (const leadId of leadIds) {
      const events = await storedScoringEvents(pipeline().pool, leadId);
      const at = Math.max(...events.map((event) => event.occurredAt));
      const score = await get(pipeline().api, `/v1/leads/${leadId}/score?at=${new Date(at).toISOString()}`);
      expect(score.status, JSON.stringify(score.body)).toBe(200);
      expect(score.body.ruleset).toBe(v2.key);
      expect(score.body.score.total, leadId).toBeCloseTo(scoreEvents(events, v2, at).total, 9);
    }
  });

  it('reports the job: every lead looked at once, the three with clicks changed', async () => {
    const job = await get(pipeline().api, `/v1/rescoring/${jobId}`);
    expect(job.body).toMatchObject({
      rulesetVersion: 2,
      previousVersion: 1,
      status: 'completed',
      progress: 1,
      etaAt: null,
      leads: { total: 4, processed: 4, rescored: 4, skipped: 0, changed: 3, remaining: 0 },
      eventsReplayed: journeys.length,
    });
  });

  it('publishes one rescore score change per lead whose score moved, with the predicted score, and nothing else', async () => {
    await eventually(async () => {
      const rescores = received.scoreChanged.map(json).filter((message) => message.rescore !== undefined);
      expect(rescores.map((message) => message.leadId).sort()).toEqual(['already-mql', 'far', 'near-mql']);
    });
    for (const message of received.scoreChanged.map(json).filter((m) => m.rescore !== undefined)) {
      const events = await storedScoringEvents(pipeline().pool, message.leadId);
      const expected = scoreEvents(events, v2, Date.parse(message.scoredAt));
      expect(message).toMatchObject({ rulesetVersion: 2, rescore: { jobId }, recomputed: true });
      expect(message.changes).toContain('score');
      expect(message.new.temperature).toBe(expected.temperature);
      expect(message.new.total).toBe(expected.total);
      expect(message.old.total).toBe(before.get(message.leadId));
    }
  });

  it('moves the lead pushed over the mql threshold with reason rescored, and no other lead', async () => {
    await eventually(async () => {
      const { rows } = await pipeline().pool.query(
        `SELECT lead_id, from_stage, to_stage, ruleset_version FROM lead_stage_history WHERE reason = 'rescored'`,
      );
      expect(rows).toEqual([
        { lead_id: 'near-mql', from_stage: 'lead', to_stage: 'mql', ruleset_version: 2 },
      ]);
    });
    await eventually(async () => {
      const rescored = received.stageChanged.map(json).filter((message) => message.reason === 'rescored');
      expect(rescored.map((message) => [message.leadId, message.to])).toEqual([['near-mql', 'mql']]);
    });
    const { rows } = await pipeline().pool.query(`SELECT lead_id, stage FROM lead_stages ORDER BY lead_id`);
    expect(rows.map((row) => [row.lead_id, row.stage])).toEqual([
      ['already-mql', 'mql'],
      ['far', 'lead'],
      ['near-mql', 'mql'],
      ['no-clicks', 'lead'],
    ]);
  });

  it('scores new events of a rescored lead under version 2 incrementally', async () => {
    const more = activities('far', 'email.clicked', 1, T + 60 * 60_000);
    await postEvents(pipeline(), more);
    await untilScored(pipeline(), new Map([['far', 3]]));
    const { rows } = await pipeline().pool.query(
      `SELECT total, scored_at, ruleset_version FROM lead_scores WHERE lead_id = 'far'`,
    );
    const expected = scoreEvents(
      await storedScoringEvents(pipeline().pool, 'far'),
      v2,
      rows[0].scored_at.getTime(),
    );
    expect(rows[0]).toMatchObject({ ruleset_version: 2, total: expected.total });
  });

  it('rebuilds every lead from the store under the active version on request (POST /v1/rescoring)', async () => {
    const { rows: right } = await pipeline().pool.query(
      'SELECT lead_id, total FROM lead_scores ORDER BY lead_id',
    );
    // A damaged projection: the rebuild must recompute from the events, not trust the row.
    await pipeline().pool.query(`UPDATE lead_scores SET total = -1 WHERE lead_id = 'no-clicks'`);
    const started = await call(pipeline().api, 'POST', '/v1/rescoring', {
      ...admin,
      body: { author: 'ops' },
    });
    expect(started.status, JSON.stringify(started.body)).toBe(202);
    expect(started.body).toMatchObject({ rebuild: true, rulesetVersion: 2, previousVersion: 2 });
    const done = await eventually(async () => {
      const job = await get(pipeline().api, `/v1/rescoring/${started.body.jobId}`);
      expect(job.body.status).toBe('completed');
      return job.body;
    }, 30_000);
    expect(done.leads).toMatchObject({ processed: leadIds.length, rescored: leadIds.length, skipped: 0 });
    const { rows } = await pipeline().pool.query('SELECT lead_id, total FROM lead_scores ORDER BY lead_id');
    expect(rows).toEqual(right);
  });

  it('refuses to publish the active version again (409) or a version that does not exist (404)', async () => {
    expectProblem(await call(pipeline().api, 'POST', '/v1/rulesets/2/publish', { ...admin, body: {} }), 409);
    expectProblem(await call(pipeline().api, 'POST', '/v1/rulesets/99/publish', { ...admin, body: {} }), 404);
    expectProblem(await get(pipeline().api, '/v1/rescoring/rsj_unknown'), 404);
  });
});
