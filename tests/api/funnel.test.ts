import { beforeAll, describe, expect, it } from 'vitest';
import type { ActivityEventInput } from '../../packages/contracts/src/index.js';
import { eventually } from '../eventstore/eventually.js';
import { seedJourney } from './support/journey.js';
import { usePipeline } from './support/pipeline.js';
import { expectProblem, get } from './support/requests.js';
import { countByLead, DAY, HOUR, iso, postEvents, untilScored } from './support/seed.js';

const T = Date.UTC(2026, 6, 1, 9);

/** Prospects from linkedin, a lead that stops at sql from google, window shoppers without a source. */
const journeys: ActivityEventInput[][] = [
  ...[0, 1, 2].map((i) => seedJourney(`pro${i}@fabrikam-software.com`, T + i * 2 * DAY, 'linkedin')),
  ...[0, 1].map((i) =>
    seedJourney(`sql${i}@tailspin-software.com`, T + i * 3 * DAY + HOUR, 'google').slice(0, 7),
  ),
  ...[0, 1].map((i): ActivityEventInput[] => [
    {
      type: 'page.visited',
      lead: { id: `shopper-${i}` },
      occurredAt: iso(T + i * DAY),
      properties: { url: '/blog' },
    },
  ]),
  // Its first event lies before the periods asked below, its stage changes inside them.
  seedJourney('early@fabrikam-software.com', T - 20 * DAY, 'linkedin').map((event, index) =>
    index === 0 ? event : { ...event, occurredAt: iso(Date.parse(event.occurredAt) + 20 * DAY) },
  ),
];
const leads = [...countByLead(journeys.flat()).keys()];

interface Change {
  from: string;
  to: string;
  at: string;
}
interface LeadFacts {
  source: string | null;
  firstEventAt: number;
  history: Change[];
}

const pipeline = usePipeline({ clock: T + 40 * DAY });
const facts = new Map<string, LeadFacts>();

beforeAll(async () => {
  await postEvents(pipeline(), journeys.flat());
  await untilScored(pipeline(), countByLead(journeys.flat()));
  await eventually(async () => {
    for (const [index, leadId] of leads.entries()) {
      const stages = await get(pipeline().api, `/v1/leads/${leadId}/stages`);
      const expectedLast = index < 3 || index === 7 ? 'prospect' : index < 5 ? 'sql' : 'lead';
      expect(stages.body.current?.stage, leadId).toBe(expectedLast);
    }
  }, 30_000);
  for (const [index, leadId] of leads.entries()) {
    const lead = await get(pipeline().api, `/v1/leads/${leadId}`);
    const stages = await get(pipeline().api, `/v1/leads/${leadId}/stages`);
    facts.set(leadId, {
      source: lead.body.firstTouch?.utmSource ?? null,
      firstEventAt: Date.parse(journeys[index]![0]!.occurredAt),
      history: stages.body.history,
    });
  }
});

const median = (values: number[]) => {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = (sorted.length - 1) / 2;
  return (sorted[Math.floor(middle)]! + sorted[Math.ceil(middle)]!) / 2;
};

/** The funnel of the leads in `group`, worked out lead by lead from their own histories. */
function expectedFunnel(group: LeadFacts[], from: number, to: number) {
  const within = (at: number) => at >= from && at < to;
  const entered = (stage: string) =>
    group.filter((lead) =>
      stage === 'lead'
        ? within(lead.firstEventAt)
        : lead.history.some((change) => change.to === stage && within(Date.parse(change.at))),
    ).length;
  const stays = (stage: string) =>
    group.flatMap((lead) =>
      lead.history.flatMap((change, index) => {
        if (change.from !== stage || !within(Date.parse(change.at))) return [];
        const enteredAt = index === 0 ? lead.firstEventAt : Date.parse(lead.history[index - 1]!.at);
        return [Math.max(0, (Date.parse(change.at) - enteredAt) / 1000)];
      }),
    );
  const counts = {
    lead: entered('lead'),
    mql: entered('mql'),
    sql: entered('sql'),
    prospect: entered('prospect'),
  };
  const ratio = (a: number, b: number) => (b === 0 ? null : a / b);
  return {
    entered: counts,
    conversion: {
      leadToMql: ratio(counts.mql, counts.lead),
      mqlToSql: ratio(counts.sql, counts.mql),
      sqlToProspect: ratio(counts.prospect, counts.sql),
    },
    medianSecondsInStage: {
      lead: median(stays('lead')),
      mql: median(stays('mql')),
      sql: median(stays('sql')),
    },
  };
}

describe('GET /v1/stats/funnel', () => {
  const periods: [string, number, number][] = [
    ['the whole journey', T - DAY, T + 30 * DAY],
    ['a window that cuts journeys', T + DAY, T + 5 * DAY],
  ];

  for (const [name, from, to] of periods) {
    it(`counts entries, conversions and median time in stage over ${name}, as the histories say`, async () => {
      const response = await get(pipeline().api, `/v1/stats/funnel?from=${iso(from)}&to=${iso(to)}`);
      expect(response.status, JSON.stringify(response.body)).toBe(200);
      expect(response.body).toEqual({
        from: iso(from),
        to: iso(to),
        groups: [expectedFunnel([...facts.values()], from, to)],
      });
    });

    it(`cuts the same figures by source over ${name}`, async () => {
      const response = await get(
        pipeline().api,
        `/v1/stats/funnel?from=${iso(from)}&to=${iso(to)}&groupBy=source`,
      );
      expect(response.status).toBe(200);
      const sources = [...new Set([...facts.values()].map((lead) => lead.source))];
      for (const source of sources) {
        const group = [...facts.values()].filter((lead) => lead.source === source);
        const expected = expectedFunnel(group, from, to);
        const answered = response.body.groups.find((g: { source: string | null }) => g.source === source);
        if (
          Object.values(expected.entered).every((n) => n === 0) &&
          expected.medianSecondsInStage.lead === null
        ) {
          continue;
        }
        expect(answered, String(source)).toEqual({ source, ...expected });
      }
    });
  }

  it('has the three linkedin prospects convert all the way', async () => {
    const response = await get(
      pipeline().api,
      `/v1/stats/funnel?from=${iso(T - DAY)}&to=${iso(T + 30 * DAY)}&groupBy=source`,
    );
    const linkedin = response.body.groups.find((g: { source: string | null }) => g.source === 'linkedin');
    expect(linkedin.entered).toEqual({ lead: 3, mql: 4, sql: 4, prospect: 4 });
    expect(linkedin.conversion.sqlToProspect).toBe(1);
  });

  it('refuses a missing or reversed period naming the fields', async () => {
    expectProblem(await get(pipeline().api, '/v1/stats/funnel?groupBy=campaign'), 400, [
      'from',
      'to',
      'groupBy',
    ]);
    expectProblem(await get(pipeline().api, `/v1/stats/funnel?from=${iso(T)}&to=${iso(T - DAY)}`), 400, [
      'to',
    ]);
    expectProblem(await get(pipeline().api, `/v1/stats/funnel?from=${iso(T)}&to=${iso(T + DAY)}`, null), 401);
  });
});
