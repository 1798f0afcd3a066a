import { beforeAll, describe, expect, it } from 'vitest';
import type { ActivityEventInput } from '../../packages/contracts/src/index.js';
import { eventually } from '../eventstore/eventually.js';
import { seedJourney } from './support/journey.js';
import { usePipeline } from './support/pipeline.js';
import { expectProblem, get } from './support/requests.js';
import { countByLead, DAY, HOUR, iso, postEvents, untilScored } from './support/seed.js';

const T = Date.UTC(2026, 6, 1, 9);

interface SeededLead {
  readonly events: ActivityEventInput[];
  readonly finalStage: string;
}

/**
 * The seed journey of a lead without fit traits and without the webinar: its demo request takes
 * it to mql, its score stays below the sql threshold, and its reply (a two-way signal) takes it
 * from mql straight to prospect.
 */
const skippingSql = (email: string, start: number, source: string) =>
  seedJourney(email, start, source).filter(
    (event) => event.type !== 'profile.updated' && event.type !== 'webinar.attended',
  );

/** A blog visit two days before T: posted after the rest of its lead's journey, so appended last. */
const backfilledVisit = (email: string): ActivityEventInput => ({
  type: 'page.visited',
  lead: { email },
  occurredAt: iso(T - 2 * DAY),
  properties: { url: '/blog/backfilled' },
});

/** From facebook: each goes from mql straight to prospect. */
const skippers: SeededLead[] = [0, 1].map((i) => ({
  events: skippingSql(`skip${i}@contoso-software.com`, T + i * 2 * DAY + 2 * HOUR, 'facebook'),
  finalStage: 'prospect',
}));

/**
 * From twitter: a demo request (40 points, a lead), then a reply a day later (55, two-way): one
 * look takes it lead -> mql -> prospect, two changes at one instant. It never stayed in mql.
 */
const leaper: SeededLead = {
  events: [
    {
      type: 'form.submitted',
      lead: { email: 'leap@northwind-software.com' },
      occurredAt: iso(T + 3 * HOUR),
      source: { utmSource: 'twitter' },
      properties: { form: 'demo-request' },
    },
    { type: 'email.replied', lead: { email: 'leap@northwind-software.com' }, occurredAt: iso(T + DAY) },
  ],
  finalStage: 'prospect',
};

/** From bing: its journey, then a visit that occurred two days before T, posted after the journey. */
const backfilled: SeededLead = {
  events: [
    ...seedJourney('backfilled@fabrikam-software.com', T + 2 * DAY + 5 * HOUR, 'bing'),
    backfilledVisit('backfilled@fabrikam-software.com'),
  ],
  finalStage: 'prospect',
};

/**
 * Prospects from linkedin, leads that stop at sql from google, window shoppers without a source,
 * leads from facebook that skip sql, and a lead from bing whose earliest event arrived last.
 */
const seeds: SeededLead[] = [
  ...[0, 1, 2].map((i) => ({
    events: seedJourney(`pro${i}@fabrikam-software.com`, T + i * 2 * DAY, 'linkedin'),
    finalStage: 'prospect',
  })),
  ...[0, 1].map((i) => ({
    events: seedJourney(`sql${i}@tailspin-software.com`, T + i * 3 * DAY + HOUR, 'google').slice(0, 7),
    finalStage: 'sql',
  })),
  ...[0, 1].map((i) => ({
    events: [
      {
        type: 'page.visited',
        lead: { id: `shopper-${i}` },
        occurredAt: iso(T + i * DAY),
        properties: { url: '/blog' },
      },
    ],
    finalStage: 'lead',
  })),
  {
    // Its first event lies before the periods asked below, its stage changes inside them.
    events: seedJourney('early@fabrikam-software.com', T - 20 * DAY, 'linkedin').map((event, index) =>
      index === 0 ? event : { ...event, occurredAt: iso(Date.parse(event.occurredAt) + 20 * DAY) },
    ),
    finalStage: 'prospect',
  },
  ...skippers,
  backfilled,
  leaper,
];
const allEvents = seeds.flatMap((seed) => seed.events);
const leadIdOf = (seed: SeededLead) => [...countByLead(seed.events).keys()][0]!;

interface Change {
  from: string;
  to: string;
  at: string;
}
interface LeadFacts {
  source: string | null;
  /** When its earliest event occurred, whatever order the events were appended in. */
  firstEventAt: number;
  history: Change[];
}

const pipeline = usePipeline({ clock: T + 40 * DAY });
const facts = new Map<string, LeadFacts>();

beforeAll(async () => {
  await postEvents(pipeline(), allEvents);
  await untilScored(pipeline(), countByLead(allEvents));
  await eventually(async () => {
    for (const seed of seeds) {
      const stages = await get(pipeline().api, `/v1/leads/${leadIdOf(seed)}/stages`);
      expect(stages.body.current?.stage, leadIdOf(seed)).toBe(seed.finalStage);
    }
  }, 30_000);
  for (const seed of seeds) {
    const leadId = leadIdOf(seed);
    const lead = await get(pipeline().api, `/v1/leads/${leadId}`);
    const stages = await get(pipeline().api, `/v1/leads/${leadId}/stages`);
    facts.set(leadId, {
      source: lead.body.firstTouch?.utmSource ?? null,
      firstEventAt: Math.min(...seed.events.map((event) => Date.parse(event.occurredAt))),
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

const STAGES = ['lead', 'mql', 'sql', 'prospect'] as const;
type Stage = (typeof STAGES)[number];
/** Funnel order; the side stages (recycled, disqualified) rank with lead. */
const rank = (stage: string) => Math.max(0, STAGES.indexOf(stage as Stage));

/**
 * The funnel of the leads in `group`, worked out lead by lead from their own histories. A lead
 * enters the funnel when its earliest event occurred; a change reaches every stage above the one
 * it left up to the one it entered. A stage's conversion: of the leads that reached it in the
 * period, the share that a change since (in stream order) took past it.
 */
function expectedFunnel(group: LeadFacts[], from: number, to: number) {
  const within = (at: number) => at >= from && at < to;
  /** Where in its history the lead first reached `stage` within the period, or undefined. */
  const reachedAt = (lead: LeadFacts, stage: Stage): number | undefined => {
    if (stage === 'lead') return within(lead.firstEventAt) ? 0 : undefined;
    const index = lead.history.findIndex(
      (change) =>
        within(Date.parse(change.at)) && rank(change.from) < rank(stage) && rank(stage) <= rank(change.to),
    );
    return index === -1 ? undefined : index;
  };
  const cohort = (stage: Stage) =>
    group.flatMap((lead) => {
      const since = reachedAt(lead, stage);
      return since === undefined ? [] : [{ lead, since }];
    });
  const converted = (stage: Stage) =>
    cohort(stage).filter(({ lead, since }) =>
      lead.history.slice(since).some((change) => rank(change.to) > rank(stage)),
    ).length;
  const stays = (stage: string) =>
    group.flatMap((lead) =>
      lead.history.flatMap((change, index) => {
        if (change.from !== stage || !within(Date.parse(change.at))) return [];
        const enteredAt = index === 0 ? lead.firstEventAt : Date.parse(lead.history[index - 1]!.at);
        // Left when (or before) it came: passed through, no stay.
        return Date.parse(change.at) > enteredAt ? [(Date.parse(change.at) - enteredAt) / 1000] : [];
      }),
    );
  const ratio = (a: number, b: number) => (b === 0 ? null : a / b);
  const rateOf = (stage: Stage) => ratio(converted(stage), cohort(stage).length);
  return {
    entered: {
      lead: cohort('lead').length,
      mql: cohort('mql').length,
      sql: cohort('sql').length,
      prospect: cohort('prospect').length,
    },
    conversion: { leadToMql: rateOf('lead'), mqlToSql: rateOf('mql'), sqlToProspect: rateOf('sql') },
    medianSecondsInStage: {
      lead: median(stays('lead')),
      mql: median(stays('mql')),
      sql: median(stays('sql')),
    },
  };
}

/** Whether a source's funnel holds anything: the api lists no group for a source without figures. */
const hasFigures = (funnel: ReturnType<typeof expectedFunnel>) =>
  Object.values(funnel.entered).some((n) => n > 0) ||
  Object.values(funnel.medianSecondsInStage).some((seconds) => seconds !== null);

const bySource = <T extends { source: string | null }>(groups: T[]) =>
  [...groups].sort((a, b) => String(a.source).localeCompare(String(b.source)));

const funnel = (from: number, to: number, query = '') =>
  get(pipeline().api, `/v1/stats/funnel?from=${iso(from)}&to=${iso(to)}${query}`);

describe('GET /v1/stats/funnel', () => {
  const periods: [string, number, number][] = [
    ['the whole journey', T - DAY, T + 30 * DAY],
    ['a window that cuts journeys', T + DAY, T + 5 * DAY],
  ];

  for (const [name, from, to] of periods) {
    it(`counts entries, conversions and median time in stage over ${name}, as the histories say`, async () => {
      const response = await funnel(from, to);
      expect(response.status, JSON.stringify(response.body)).toBe(200);
      expect(response.body).toEqual({
        from: iso(from),
        to: iso(to),
        groups: [expectedFunnel([...facts.values()], from, to)],
      });
    });

    it(`cuts the same figures by source over ${name}`, async () => {
      const response = await funnel(from, to, '&groupBy=source');
      expect(response.status).toBe(200);
      const sources = [...new Set([...facts.values()].map((lead) => lead.source))];
      const expected = sources.flatMap((source) => {
        const figures = expectedFunnel(
          [...facts.values()].filter((lead) => lead.source === source),
          from,
          to,
        );
        return hasFigures(figures) ? [{ source, ...figures }] : [];
      });
      expect(bySource(response.body.groups)).toEqual(bySource(expected));
    });

    it(`keeps every conversion rate between 0 and 1 over ${name}, in every group`, async () => {
      const groups = [
        ...(await funnel(from, to)).body.groups,
        ...(await funnel(from, to, '&groupBy=source')).body.groups,
      ];
      for (const group of groups) {
        for (const rate of Object.values(group.conversion)) {
          if (rate !== null) expect(rate, JSON.stringify(group)).toBeGreaterThanOrEqual(0);
          if (rate !== null) expect(rate, JSON.stringify(group)).toBeLessThanOrEqual(1);
        }
      }
    });
  }

  it('has the three linkedin prospects convert all the way', async () => {
    const response = await funnel(T - DAY, T + 30 * DAY, '&groupBy=source');
    const linkedin = response.body.groups.find((g: { source: string | null }) => g.source === 'linkedin');
    expect(linkedin.entered).toEqual({ lead: 3, mql: 4, sql: 4, prospect: 4 });
    expect(linkedin.conversion).toEqual({ leadToMql: 1, mqlToSql: 1, sqlToProspect: 1 });
  });

  it('counts a lead that went from mql straight to prospect as having reached sql on the way', async () => {
    const response = await funnel(T - DAY, T + 30 * DAY, '&groupBy=source');
    const facebook = response.body.groups.find((g: { source: string | null }) => g.source === 'facebook');
    for (const skipper of skippers) {
      expect(facts.get(leadIdOf(skipper))?.history.map((change) => `${change.from}->${change.to}`)).toEqual([
        'lead->mql',
        'mql->prospect',
      ]);
    }
    expect(facebook.entered).toEqual({ lead: 2, mql: 2, sql: 2, prospect: 2 });
    expect(facebook.conversion).toEqual({ leadToMql: 1, mqlToSql: 1, sqlToProspect: 1 });
    expect(facebook.medianSecondsInStage.sql).toBeNull();
  });

  it('counts no stay in a stage a lead passed through at one instant', async () => {
    expect(
      facts.get(leadIdOf(leaper))?.history.map((change) => `${change.from}->${change.to}@${change.at}`),
    ).toEqual([`lead->mql@${iso(T + DAY)}`, `mql->prospect@${iso(T + DAY)}`]);
    const response = await funnel(T - DAY, T + 30 * DAY, '&groupBy=source');
    const twitter = response.body.groups.find((g: { source: string | null }) => g.source === 'twitter');
    expect(twitter.entered).toEqual({ lead: 1, mql: 1, sql: 1, prospect: 1 });
    expect(twitter.medianSecondsInStage).toEqual({ lead: (DAY - 3 * HOUR) / 1000, mql: null, sql: null });
  });

  it("dates a lead's entry by its earliest event, though that event arrived after the others", async () => {
    // Only the backfilled visit occurred in these two days; its lead's other events were appended first.
    const entry = await funnel(T - 3 * DAY, T - DAY);
    expect(entry.body.groups).toEqual([
      {
        entered: { lead: 1, mql: 0, sql: 0, prospect: 0 },
        conversion: { leadToMql: 1, mqlToSql: null, sqlToProspect: null },
        medianSecondsInStage: { lead: null, mql: null, sql: null },
      },
    ]);
  });

  it('measures a stay in lead from the earliest event, though that event arrived after the others', async () => {
    // The backfilled lead's first change, the only change at that millisecond.
    const leftLead = Date.parse(facts.get(leadIdOf(backfilled))!.history[0]!.at);
    const stay = await funnel(leftLead, leftLead + 1);
    expect(stay.body.groups[0].medianSecondsInStage.lead).toBe((leftLead - (T - 2 * DAY)) / 1000);
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
