import fc from 'fast-check';
import { beforeAll, expect, it } from 'vitest';
import type { ActivityEventInput } from '../../packages/contracts/src/index.js';
import { compileRuleset, defaultRuleset, scoreEvents } from '../../packages/scoring/src/index.js';
import { scoringEventsOf } from './support/journey.js';
import { usePipeline } from './support/pipeline.js';
import { get } from './support/requests.js';
import { countByLead, DAY, HOUR, iso, postEvents, untilScored } from './support/seed.js';

const ruleset = compileRuleset(defaultRuleset);
const START = Date.UTC(2026, 0, 5, 8);
const SPAN = 40 * DAY;

const activity = fc.oneof(
  fc.record({ type: fc.constant('email.opened'), properties: fc.constant({}) }),
  fc.record({ type: fc.constant('email.clicked'), properties: fc.constant({ url: '/blog' }) }),
  fc.record({
    type: fc.constant('page.visited'),
    properties: fc.record({ url: fc.constantFrom('/pricing', '/demo', '/blog/a', '/careers') }),
  }),
  fc.record({
    type: fc.constant('form.submitted'),
    properties: fc.record({ form: fc.constantFrom('demo-request', 'contact') }),
  }),
  fc.record({
    type: fc.constantFrom('webinar.attended', 'email.replied', 'email.unsubscribed'),
    properties: fc.constant({}),
  }),
);

/** A lead's activities at random instants over 40 days, posted in random order with some resent. */
const journeyOf = (leadId: string) =>
  fc
    .array(fc.tuple(activity, fc.integer({ min: 0, max: SPAN })), { minLength: 3, maxLength: 25 })
    .map((items) =>
      items.map(
        ([{ type, properties }, offset], index): ActivityEventInput => ({
          id: `${leadId}-e${index}`,
          type,
          lead: { id: leadId },
          occurredAt: iso(START + offset),
          properties,
          ...(index === 0
            ? { traits: { title: 'Head of Growth', industry: 'software', companySize: 80 } }
            : {}),
        }),
      ),
    );

const LEADS = ['tt-ann', 'tt-bob', 'tt-cy', 'tt-dee'];
const journeys = LEADS.map(
  (leadId, index) => fc.sample(journeyOf(leadId), { numRuns: 1, seed: 42 + index })[0]!,
);

const pipeline = usePipeline({ clock: START + SPAN + 5 * DAY });
const engineEvents = new Map<string, ReturnType<typeof scoringEventsOf>>();

beforeAll(async () => {
  for (const [index, journey] of journeys.entries()) {
    // Arrival order differs from occurrence order (late events), and a third of the events is resent.
    const shuffled = fc.sample(fc.shuffledSubarray(journey, { minLength: journey.length }), {
      numRuns: 1,
      seed: index,
    })[0]!;
    const ids = await postEvents(pipeline(), shuffled);
    await postEvents(
      pipeline(),
      shuffled.filter((_, i) => i % 3 === 0),
    );
    engineEvents.set(LEADS[index]!, scoringEventsOf(shuffled, ids));
  }
  await untilScored(pipeline(), new Map(journeys.map((journey) => [...countByLead(journey)][0]!)));
});

it('answers at any instant the score the engine computes from the events that occurred up to it', async () => {
  await fc.assert(
    fc.asyncProperty(
      fc.constantFrom(...LEADS),
      fc.integer({ min: -DAY, max: SPAN + 60 * DAY }),
      async (leadId, offset) => {
        const at = START + offset;
        const response = await get(pipeline().api, `/v1/leads/${leadId}/score?at=${iso(at)}&explain=true`);
        expect(response.status).toBe(200);
        const events = engineEvents.get(leadId)!;
        const expected = scoreEvents(events, ruleset, at);
        expect(response.body.score.total).toBeCloseTo(expected.total, 9);
        expect(response.body.score.engagement).toBeCloseTo(expected.engagement, 9);
        expect(response.body.score).toMatchObject({
          at: iso(at),
          grade: expected.grade,
          temperature: expected.temperature,
        });
        expect(response.body.eventsCounted).toBe(events.filter((event) => event.occurredAt <= at).length);

        const { explanation } = response.body;
        const ruleSum = explanation.engagement.rules.reduce(
          (sum: number, rule: { decayedPoints: number }) => sum + rule.decayedPoints,
          0,
        );
        expect(ruleSum).toBeCloseTo(explanation.engagement.total, 9);
        const fitSum = explanation.fit.rules.reduce(
          (sum: number, rule: { points: number }) => sum + rule.points,
          0,
        );
        expect(fitSum).toBe(explanation.fit.total);
        expect(
          explanation.engagement.total + explanation.fit.total + explanation.clampAdjustment,
        ).toBeCloseTo(response.body.score.total, 9);
      },
    ),
    { numRuns: 60 },
  );
});

it('shows a lead now as its score decayed from the latest event, the same as time travel to now', async () => {
  for (const leadId of LEADS) {
    const lead = await get(pipeline().api, `/v1/leads/${leadId}`);
    const travelled = await get(pipeline().api, `/v1/leads/${leadId}/score?at=${iso(pipeline().clock.now)}`);
    expect(lead.body.score.total).toBeCloseTo(travelled.body.score.total, 9);
    expect(lead.body.score.at).toBe(travelled.body.score.at);
  }
});

it('scores a lead before its first event as nothing', async () => {
  const response = await get(pipeline().api, `/v1/leads/${LEADS[0]}/score?at=${iso(START - HOUR)}`);
  expect(response.body.eventsCounted).toBe(0);
  expect(response.body.score.engagement).toBe(0);
});
