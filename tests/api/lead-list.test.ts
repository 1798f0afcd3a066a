import { beforeAll, describe, expect, it } from 'vitest';
import type { ActivityEventInput } from '../../packages/contracts/src/index.js';
import { eventually } from '../eventstore/eventually.js';
import { usePipeline } from './support/pipeline.js';
import { expectProblem, get } from './support/requests.js';
import { countByLead, DAY, HOUR, iso, postEvents, untilScored, vpTraits } from './support/seed.js';

const NOW = Date.UTC(2026, 4, 4, 12);

interface Listed {
  id: string;
  stage: { name: string };
  scored: { total: number };
  score: { grade: string; temperature: string };
  firstTouch: { utmSource?: string } | null;
}

/** Four kinds of leads, ten each; kinds `hot` and `twin` score the same, so ties are broken by id. */
function kindOf(
  kind: 'hot' | 'twin' | 'browser' | 'reader',
  index: number,
  start: number,
): ActivityEventInput[] {
  const lead = { id: `${kind}-${String(index).padStart(2, '0')}` };
  const at = (offset: number) => iso(start + offset);
  const source = { utmSource: kind === 'twin' ? 'partner' : kind === 'hot' ? 'linkedin' : kind };
  switch (kind) {
    case 'hot':
    case 'twin':
      return [
        { type: 'profile.updated', lead, occurredAt: at(0), traits: vpTraits },
        { type: 'form.submitted', lead, occurredAt: at(HOUR), source, properties: { form: 'demo-request' } },
        { type: 'webinar.attended', lead, occurredAt: at(2 * HOUR) },
        { type: 'form.submitted', lead, occurredAt: at(3 * HOUR), properties: { form: 'contact' } },
        { type: 'content.downloaded', lead, occurredAt: at(4 * HOUR) },
      ];
    case 'browser':
      return Array.from({ length: 1 + (index % 4) }, (_, i) => ({
        type: 'page.visited',
        lead,
        occurredAt: at(i * DAY),
        ...(i === 0 ? { source } : {}),
        properties: { url: `/blog/${i}` },
      }));
    case 'reader':
      return [
        {
          type: 'newsletter.subscribed',
          lead,
          occurredAt: at(0),
          source,
          traits: { email: `r${index}@gmail.com` },
        },
        { type: 'email.clicked', lead, occurredAt: at(HOUR * (1 + index)), properties: { url: '/blog' } },
      ];
  }
}

const seeded = (['hot', 'twin', 'browser', 'reader'] as const).flatMap((kind) =>
  Array.from({ length: 10 }, (_, index) => kindOf(kind, index, NOW - 5 * DAY)),
);
const seededIds = [...countByLead(seeded.flat()).keys()];

const pipeline = usePipeline({ clock: NOW });

async function listAll(query: string, limit: number, between?: (page: number) => Promise<void>) {
  const leads: Listed[] = [];
  let cursor: string | null = null;
  let page = 0;
  do {
    const separator = query === '' ? '' : '&';
    const response = await get(
      pipeline().api,
      `/v1/leads?${query}${separator}limit=${limit}${cursor ? `&cursor=${cursor}` : ''}`,
    );
    expect(response.status, JSON.stringify(response.body)).toBe(200);
    expect(response.body.leads.length).toBeLessThanOrEqual(limit);
    leads.push(...response.body.leads);
    cursor = response.body.nextCursor;
    await between?.(page++);
  } while (cursor);
  return leads;
}

const byScoreThenId = (a: Listed, b: Listed) => b.scored.total - a.scored.total || (a.id < b.id ? -1 : 1);

beforeAll(async () => {
  await postEvents(pipeline(), seeded.flat());
  await untilScored(pipeline(), countByLead(seeded.flat()));
  await eventually(async () => {
    const { rows } = await pipeline().pool.query('SELECT count(*)::int AS n FROM lead_stages');
    expect(rows[0].n).toBe(seededIds.length);
  }, 30_000);
});

describe('GET /v1/leads', () => {
  it('visits every lead exactly once across pages while new leads keep arriving', async () => {
    let newcomer = 0;
    const listed = await listAll('', 7, async () => {
      // New leads between pages: some score above the cursor, some below.
      const arrivals = [
        kindOf('hot', 100 + newcomer, NOW - DAY),
        kindOf('browser', 200 + newcomer, NOW - DAY),
      ];
      newcomer += 1;
      const events = arrivals.flat().map((event) => ({
        ...event,
        lead: { id: `new-${event.lead.id}` },
        ...(event.source ? { source: { utmSource: 'newcomer' } } : {}),
      }));
      await postEvents(pipeline(), events);
      // Scored before the next page is read: the rows are certainly there, on both sides of the cursor.
      await untilScored(pipeline(), countByLead(events));
    });
    const ids = listed.map((lead) => lead.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(seededIds.filter((id) => !ids.includes(id))).toEqual([]);
    expect(listed).toEqual([...listed].sort(byScoreThenId));
    // Newcomers that scored below the cursor were met on later pages; those above were not.
    expect(ids.some((id) => id.startsWith('new-'))).toBe(true);
    expect(newcomer).toBeGreaterThan(4);
  });

  it('lists lowest first as the exact reverse of highest first', async () => {
    const highest = (await listAll('source=linkedin', 4)).map((lead) => lead.id);
    const lowest = (await listAll('source=linkedin&sort=score', 3)).map((lead) => lead.id);
    expect(highest).toHaveLength(10);
    expect(lowest).toEqual([...highest].reverse());
  });

  it('filters by stage, temperature, grade, minimum score and source, alone and together', async () => {
    const all = (await listAll('', 200)).filter((lead) => seededIds.includes(lead.id));
    const cases: [string, (lead: Listed) => boolean][] = [
      ['stage=sql', (lead) => lead.stage.name === 'sql'],
      ['stage=lead', (lead) => lead.stage.name === 'lead'],
      ['temperature=cold', (lead) => lead.score.temperature === 'cold'],
      ['grade=A', (lead) => lead.score.grade === 'A'],
      ['minScore=20', (lead) => lead.scored.total >= 20],
      ['source=reader', (lead) => lead.firstTouch?.utmSource === 'reader'],
      [
        'grade=A&source=partner',
        (lead) => lead.score.grade === 'A' && lead.firstTouch?.utmSource === 'partner',
      ],
    ];
    for (const [query, predicate] of cases) {
      const expected = all.filter(predicate).map((lead) => lead.id);
      expect(expected.length, query).toBeGreaterThan(0);
      const listed = (await listAll(query, 3)).map((lead) => lead.id).filter((id) => seededIds.includes(id));
      expect(listed, query).toEqual(expected);
    }
  });

  it('refuses bad filters naming each, and a cursor used with other filters', async () => {
    expectProblem(await get(pipeline().api, '/v1/leads?grade=Z&limit=500&minScore=lots&sort=name'), 400, [
      'grade',
      'limit',
      'minScore',
      'sort',
    ]);
    const first = await get(pipeline().api, '/v1/leads?source=linkedin&limit=2');
    expectProblem(
      await get(pipeline().api, `/v1/leads?source=partner&limit=2&cursor=${first.body.nextCursor}`),
      400,
      ['cursor'],
    );
    expectProblem(await get(pipeline().api, '/v1/leads?cursor=%21%21'), 400, ['cursor']);
    expectProblem(await get(pipeline().api, '/v1/leads', null), 401);
  });

  it('refuses a tampered cursor as one it did not return, instead of failing in the database', async () => {
    const encode = (position: unknown) => Buffer.from(JSON.stringify(position)).toString('base64url');
    const first = await get(pipeline().api, '/v1/leads?limit=1');
    const issued = JSON.parse(Buffer.from(first.body.nextCursor, 'base64url').toString());
    const tampered = [
      // The exploratory tester's cursor: PostgreSQL refused its NUL with a 500.
      { t: 10, i: 'bl-0\u0000', q: '["-score",null,null,null,null,null]' },
      { ...issued, i: `${issued.i}\u0000` },
      { ...issued, i: '\ud800' },
      { ...issued, i: 'not a lead id' },
      { ...issued, t: '10' },
    ];
    for (const position of tampered) {
      const response = await get(pipeline().api, `/v1/leads?limit=1&cursor=${encode(position)}`);
      expectProblem(response, 400, ['cursor']);
      expect(response.body, JSON.stringify(position)).toMatchObject({
        type: 'urn:leadscore:problem:validation',
        errors: [{ in: 'querystring', path: 'cursor', message: 'is not a cursor this API returned' }],
      });
    }
    // The cursor as issued still reads the next page.
    expect((await get(pipeline().api, `/v1/leads?limit=1&cursor=${encode(issued)}`)).status).toBe(200);
  });
});
