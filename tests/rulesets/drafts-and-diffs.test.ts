import { describe, expect, it } from 'vitest';
import { defaultRuleset, type Ruleset } from '../../packages/scoring/src/index.js';
import { KEYS, usePipeline } from '../api/support/pipeline.js';
import { call, expectProblem, get } from '../api/support/requests.js';

const pipeline = usePipeline({ clock: Date.UTC(2026, 4, 4) });

const draft = (body: unknown) => call(pipeline().api, 'POST', '/v1/rulesets', { key: KEYS.admin, body });
const versions = async () => (await get(pipeline().api, '/v1/rulesets', KEYS.admin)).body.versions.length;

function document(change: (ruleset: Record<string, unknown> & Ruleset) => void): Record<string, unknown> {
  const copy = structuredClone(defaultRuleset) as Record<string, unknown> & Ruleset;
  delete (copy as Partial<Ruleset>).version;
  change(copy);
  return copy;
}

describe('POST /v1/rulesets with an invalid draft', () => {
  it('answers 400 problem+json listing every problem by path, and stores nothing', async () => {
    const before = await versions();
    const invalid = document((r) => {
      (r.engagement[0] as Record<string, unknown>).points = 'one';
      r.engagement[3]!.id = r.engagement[2]!.id; // a duplicate rule id
      (r.engagement[4] as Record<string, unknown>).cap = { count: 0, per: 'fortnight' };
      (r.fit[0]!.when[0] as Record<string, unknown>).op = 'resembles';
      (r.stages.mql as Record<string, unknown>).minTotl = 50;
      r.temperatures = [{ name: 'cold' }, { name: 'warm', minTotal: 60 }, { name: 'hot', minTotal: 50 }];
    });
    const response = await draft({ ruleset: invalid, author: 'ops' });
    expectProblem(response, 400, [
      'ruleset.engagement[0].points',
      'ruleset.engagement[4].cap.count',
      'ruleset.engagement[4].cap.per',
      'ruleset.fit[0].when[0].op',
      'ruleset.stages.mql.minTotl',
      // Problems between fields whose fields are valid are listed beside them.
      'ruleset.engagement[3].id',
      'ruleset.temperatures[2].minTotal',
    ]);
    expect(await versions()).toBe(before);
  });

  it('lists the problems of the rest of the body beside those of the document, and stores nothing', async () => {
    const before = await versions();
    const invalid = document((r) => {
      (r.grades[0] as Record<string, unknown>).grade = 'F';
      r.temperatures[0]!.minTotal = 5;
      r.stages.sql.minTotal = 10;
      r.stages.demotion = { enabled: true, hysteresis: 0 };
    });
    const response = await draft({ ruleset: invalid, autor: 'ops' });
    expectProblem(response, 400, [
      'autor',
      'ruleset.grades[0].grade',
      'ruleset.grades[1].grade',
      'ruleset.temperatures[0].minTotal',
      'ruleset.stages.sql.minTotal',
      'ruleset.stages.demotion.hysteresis',
    ]);
    expect(response.body.errors).toContainEqual({
      in: 'body',
      path: 'autor',
      message: 'is not a field of this request',
    });
    expect(response.body.errors).toContainEqual({
      in: 'body',
      path: 'ruleset.stages.sql.minTotal',
      message: 'must be at least the mql threshold 50',
    });
    expect(await versions()).toBe(before);
  });

  it('lists the problems that span fields when every field is valid', async () => {
    const inconsistent = document((r) => {
      r.engagement[3]!.id = r.engagement[2]!.id;
      r.temperatures = [{ name: 'cold' }, { name: 'warm', minTotal: 60 }, { name: 'hot', minTotal: 50 }];
      r.stages.sql.minTotal = 40;
    });
    expectProblem(await draft({ ruleset: inconsistent }), 400, [
      'ruleset.engagement[3].id',
      'ruleset.temperatures[2].minTotal',
      'ruleset.stages.sql.minTotal',
    ]);
  });

  it('refuses a body without a ruleset, and a draft naming a version other than the next', async () => {
    expectProblem(await draft({ author: 'ops' }), 400, ['ruleset']);
    const next = (await versions()) + 1;
    const taken = await draft({ ruleset: { ...document(() => {}), version: next + 5 } });
    expectProblem(taken, 409);
    expect(taken.body.detail).toContain(`the next version is ${next}`);
  });

  it('accepts a draft from admin keys only', async () => {
    const response = await call(pipeline().api, 'POST', '/v1/rulesets', {
      key: KEYS.read,
      body: { ruleset: document(() => {}) },
    });
    expectProblem(response, 403);
  });
});

describe('POST /v1/rulesets with a document already drafted', () => {
  it('gives the stored draft back (200) instead of a copy', async () => {
    const doubled = document((r) => {
      r.engagement[2]!.points += 10;
    });
    const first = await draft({ ruleset: doubled, author: 'ops', comment: 'first' });
    expect(first.status).toBe(201);
    const before = await versions();

    const again = await draft({
      ruleset: structuredClone(doubled),
      author: 'someone else',
      comment: 'again',
    });
    expect(again.status).toBe(200);
    expect(again.headers.location).toBe(`/v1/rulesets/${first.body.version}`);
    expect(again.body).toEqual(first.body);
    expect(await versions()).toBe(before);

    const other = await draft({ ruleset: document((r) => (r.engagement[2]!.points += 20)) });
    expect(other.status).toBe(201);
    expect(other.body.version).toBe(before + 1);
  });

  it('gives the active version back (200) for a document with its rules: a copy would rescore for nothing', async () => {
    const active = await get(pipeline().api, '/v1/rulesets/active', KEYS.admin);
    const { version: _version, ...rules } = active.body.ruleset;
    const before = await versions();

    const again = await draft({ ruleset: rules, author: 'ops', comment: 'same as active' });
    expect(again.status).toBe(200);
    expect(again.headers.location).toBe(`/v1/rulesets/${active.body.version}`);
    expect(again.body).toMatchObject({ version: active.body.version, status: 'active' });
    expect(await versions()).toBe(before);
  });

  it('stores a new version when the document names it, even if its content is a stored draft', async () => {
    const content = document((r) => {
      r.engagement[2]!.points += 7;
    });
    const first = await draft({ ruleset: content });
    const next = (await versions()) + 1;
    const named = await draft({ ruleset: { ...content, version: next } });
    expect(named.status).toBe(201);
    expect(named.body.version).toBe(next);
    expect(first.body.version).not.toBe(next);
  });
});

describe('GET /v1/rulesets/{a}/diff/{b}', () => {
  it('lists the rules added, removed and changed, and the settings changed', async () => {
    const next = document((r) => {
      r.engagement = r.engagement.filter((rule) => rule.id !== 'email-bounced');
      r.engagement.find((rule) => rule.id === 'webinar-attended')!.points = 25;
      r.engagement.push({
        id: 'trial-started',
        event: 'custom.trial_started',
        when: [],
        points: 30,
        twoWay: false,
      });
      r.stages.mql.minTotal = 45;
    });
    const drafted = await draft({ ruleset: next, author: 'ops', comment: 'trials count' });
    expect(drafted.status, JSON.stringify(drafted.body)).toBe(201);
    const version = drafted.body.version;
    const diff = await get(pipeline().api, `/v1/rulesets/1/diff/${version}`, KEYS.admin);
    expect(diff.status).toBe(200);
    expect(diff.body).toEqual({
      from: 1,
      to: version,
      added: [{ section: 'engagement', id: 'trial-started' }],
      removed: [{ section: 'engagement', id: 'email-bounced' }],
      changed: [
        {
          section: 'engagement',
          id: 'webinar-attended',
          changes: [{ path: 'points', before: 15, after: 25 }],
        },
      ],
      settings: [{ path: 'stages.mql.minTotal', before: 50, after: 45 }],
    });
    const reverse = await get(pipeline().api, `/v1/rulesets/${version}/diff/active`, KEYS.admin);
    expect(reverse.body.added).toEqual([{ section: 'engagement', id: 'email-bounced' }]);
    expect(reverse.body.removed).toEqual([{ section: 'engagement', id: 'trial-started' }]);
  });

  it('answers 404 for a version that does not exist', async () => {
    expectProblem(await get(pipeline().api, '/v1/rulesets/1/diff/77', KEYS.admin), 404);
    expectProblem(await get(pipeline().api, '/v1/rulesets/0', KEYS.admin), 400, ['version']);
  });
});
