import { beforeAll, describe, expect, it } from 'vitest';
import {
  type ActivityEventInput,
  emailLeadId,
  stageChangedMessageSchema,
} from '../../packages/contracts/src/index.js';
import { eventually } from '../eventstore/eventually.js';
import { seedJourney } from './support/journey.js';
import { KEYS, usePipeline } from './support/pipeline.js';
import { call, expectProblem, get } from './support/requests.js';
import { countByLead, DAY, HOUR, iso, postEvents, untilScored } from './support/seed.js';

const T = Date.UTC(2026, 5, 1, 9);
const EMAIL = 'sam@contoso-software.com';
const LEAD_ID = emailLeadId(EMAIL);
const journey = seedJourney(EMAIL, T).slice(0, 7); // up to the demo form: sql, no reply yet

const pipeline = usePipeline({ clock: T + 5 * DAY });

const moveLead = (leadId: string, body: unknown, key: string = KEYS.admin) =>
  call(pipeline().api, 'POST', `/v1/leads/${leadId}/stage`, { key, body });

beforeAll(async () => {
  await postEvents(pipeline(), journey);
  await untilScored(pipeline(), countByLead(journey));
  await eventually(async () => {
    expect((await get(pipeline().api, `/v1/leads/${LEAD_ID}/stages`)).body.current?.stage).toBe('sql');
  }, 30_000);
});

describe('POST /v1/leads/{id}/stage', () => {
  it('disqualifies a lead: a LeadStageChanged in its stream with the actor, in the stage history', async () => {
    const response = await moveLead(LEAD_ID, {
      action: 'disqualify',
      actor: 'jane@sales',
      reason: 'competitor',
    });
    expect(response.status, JSON.stringify(response.body)).toBe(201);
    expect(response.body).toMatchObject({
      leadId: LEAD_ID,
      changed: true,
      stage: 'disqualified',
      change: {
        from: 'sql',
        to: 'disqualified',
        actor: 'jane@sales (api-key:sales-ops)',
        note: 'competitor',
      },
    });

    const { rows } = await pipeline().pool.query(
      'SELECT event_id, type, data FROM eventstore.messages WHERE stream_id = $1 ORDER BY stream_position DESC LIMIT 1',
      [`lead-${LEAD_ID}`],
    );
    expect(rows[0].event_id).toBe(response.body.change.eventId);
    expect(rows[0].type).toBe('LeadStageChanged');
    const stored = stageChangedMessageSchema.parse(rows[0].data);
    expect(stored).toMatchObject({
      reason: 'manual',
      actor: 'jane@sales (api-key:sales-ops)',
      to: 'disqualified',
    });

    const stages = await get(pipeline().api, `/v1/leads/${LEAD_ID}/stages`);
    expect(stages.body.current.stage).toBe('disqualified');
    expect(stages.body.history.at(-1)).toMatchObject({
      eventId: response.body.change.eventId,
      reason: 'manual',
      actor: 'jane@sales (api-key:sales-ops)',
      note: 'competitor',
    });
  });

  it('records nothing when the lead already is in the stage', async () => {
    const before = await get(pipeline().api, `/v1/leads/${LEAD_ID}/events?limit=1000`);
    const response = await moveLead(LEAD_ID, { action: 'disqualify' });
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ changed: false, stage: 'disqualified', change: null });
    const after = await get(pipeline().api, `/v1/leads/${LEAD_ID}/events?limit=1000`);
    expect(after.body.events).toHaveLength(before.body.events.length);
  });

  it('recycles and accepts, naming the API key as the actor when no person is given', async () => {
    const recycled = await moveLead(LEAD_ID, { action: 'recycle' });
    expect(recycled.body.change).toMatchObject({
      from: 'disqualified',
      to: 'recycled',
      actor: 'api-key:sales-ops',
    });
    const accepted = await moveLead(LEAD_ID, { action: 'accept', reason: 'booked a call' });
    expect(accepted.body.change).toMatchObject({ from: 'recycled', to: 'sql' });
    const lead = await get(pipeline().api, `/v1/leads/${LEAD_ID}`);
    expect(lead.body.stage.name).toBe('sql');
  });

  it('refuses a read-only key (403), no key (401), an unknown lead (404) and a bad body naming each field', async () => {
    const eventsBefore = (await get(pipeline().api, `/v1/leads/${LEAD_ID}/events?limit=1000`)).body.events
      .length;
    expectProblem(await moveLead(LEAD_ID, { action: 'disqualify' }, KEYS.read), 403);
    expectProblem(
      await call(pipeline().api, 'POST', `/v1/leads/${LEAD_ID}/stage`, { key: null, body: {} }),
      401,
    );
    expectProblem(await moveLead('nobody-42', { action: 'disqualify' }), 404);
    expectProblem(await moveLead(LEAD_ID, { action: 'promote', actor: '', extra: 1 }), 400, [
      'action',
      'actor',
      'extra',
    ]);
    const eventsAfter = (await get(pipeline().api, `/v1/leads/${LEAD_ID}/events?limit=1000`)).body.events
      .length;
    expect(eventsAfter).toBe(eventsBefore);
  });

  it('refuses an actor forging another line or a reversed "(api-key:...)", a reason holding controls, and a __proto__ key', async () => {
    const eventsOf = async () =>
      (await get(pipeline().api, `/v1/leads/${LEAD_ID}/events?limit=1000`)).body.events.length;
    const eventsBefore = await eventsOf();
    const forged = await moveLead(LEAD_ID, {
      action: 'disqualify',
      actor: 'eve (api-key:ops)\n\u202eadmin (api-key:quickstart)',
    });
    expectProblem(forged, 400, ['actor']);
    expect(forged.body).toMatchObject({
      type: 'urn:leadscore:problem:validation',
      errors: [{ in: 'body', path: 'actor', message: 'must not contain the control character U+000A' }],
    });
    const reversed = await moveLead(LEAD_ID, { action: 'disqualify', actor: 'eve \u202e)kcatsrep:yek-ipa(' });
    expect(reversed.body.errors).toEqual([
      {
        in: 'body',
        path: 'actor',
        message: 'must not contain the bidirectional formatting character U+202E',
      },
    ]);
    const reason = await moveLead(LEAD_ID, { action: 'disqualify', reason: 'fine\u001b[2J' });
    expect(reason.body.errors).toEqual([
      {
        in: 'body',
        path: 'reason',
        message: 'must not contain the control character U+001B (tabs and line breaks are accepted)',
      },
    ]);
    const proto = await pipeline().api.inject({
      method: 'POST',
      url: `/v1/leads/${LEAD_ID}/stage`,
      headers: { authorization: `Bearer ${KEYS.admin}`, 'content-type': 'application/json' },
      payload: '{"action":"disqualify","__proto__":{}}',
    });
    expect(proto.statusCode).toBe(400);
    expect(proto.json()).toMatchObject({
      type: 'urn:leadscore:problem:validation',
      detail: '__proto__: the key __proto__ is not accepted',
      errors: [{ in: 'body', path: '__proto__', message: 'the key __proto__ is not accepted' }],
    });
    expect(await eventsOf()).toBe(eventsBefore);
  });

  it('records a reason over several lines, with tabs, as written, and a name in any script', async () => {
    const reason = 'competitor\r\nsee the call:\n\t- budget\n\t- \u200fلا\u200f';
    const response = await moveLead(LEAD_ID, { action: 'disqualify', actor: 'محمد', reason });
    expect(response.status, JSON.stringify(response.body)).toBe(201);
    expect(response.body.change).toMatchObject({ actor: 'محمد (api-key:sales-ops)', note: reason });
    const { rows } = await pipeline().pool.query(
      'SELECT data FROM eventstore.messages WHERE stream_id = $1 ORDER BY stream_position DESC LIMIT 1',
      [`lead-${LEAD_ID}`],
    );
    expect(stageChangedMessageSchema.parse(rows[0].data)).toMatchObject({
      actor: 'محمد (api-key:sales-ops)',
      note: reason,
    });
  });
});

/**
 * Leads scored around the wall clock, which the projector's decay checks run on: no check falls
 * due while these tests move them (their next crossings are days ahead).
 */
describe('POST /v1/leads/{id}/stage on leads active just now', () => {
  const W = Date.now();
  const posted = new Map<string, ActivityEventInput[]>();

  /** Posts a lead's events and waits until the projector has decided on the score of each. */
  async function postAndDecide(
    leadId: string,
    events: Omit<ActivityEventInput, 'lead'>[],
  ): Promise<string[]> {
    const batch = events.map((event) => ({ ...event, lead: { id: leadId } }));
    posted.set(leadId, [...(posted.get(leadId) ?? []), ...batch]);
    const ids = await postEvents(pipeline(), batch);
    await untilScored(pipeline(), countByLead(posted.get(leadId)!));
    await eventually(async () => {
      const { rows } = await pipeline().pool.query(
        `SELECT (SELECT last_position FROM lead_stages WHERE lead_id = $1) =
                (SELECT last_global_position FROM lead_scores WHERE lead_id = $1) AS decided`,
        [leadId],
      );
      expect(rows[0]?.decided, `${leadId} decided on`).toBe(true);
    }, 30_000);
    return ids;
  }

  /** 55 points a day before W: mql, and still above the threshold (50) at W. */
  const qualifying = [
    { type: 'form.submitted', occurredAt: iso(W - DAY), properties: { form: 'demo-request' } },
    { type: 'webinar.attended', occurredAt: iso(W - DAY + HOUR) },
  ];
  const stagesOf = async (leadId: string) => (await get(pipeline().api, `/v1/leads/${leadId}/stages`)).body;

  beforeAll(async () => {
    pipeline().clock.now = W;
    for (const leadId of ['nurtured', 'accepted']) {
      await postAndDecide(leadId, qualifying);
      expect((await stagesOf(leadId)).current.stage).toBe('mql');
    }
  });

  it("records the lead's score at the instant of the change, not the last score the projector looked at", async () => {
    const response = await moveLead('nurtured', { action: 'recycle', actor: 'sam', reason: 'not ready' });
    expect(response.status, JSON.stringify(response.body)).toBe(201);
    expect(response.body.change).toMatchObject({ from: 'mql', to: 'recycled', at: iso(W) });

    const then = (await get(pipeline().api, `/v1/leads/nurtured/score?at=${iso(W)}`)).body.score;
    expect(then.total).toBeLessThan(55); // decayed since the last event
    expect(response.body.change.score.total).toBeCloseTo(then.total, 9);
    const recorded = (await stagesOf('nurtured')).history.at(-1);
    expect(recorded.score.total).toBeCloseTo(then.total, 9);
    expect(recorded.score.temperature).toBe(then.temperature);
    const { rows } = await pipeline().pool.query(
      'SELECT total, score_at FROM lead_stages WHERE lead_id = $1',
      ['nurtured'],
    );
    expect(rows[0]).toMatchObject({ score_at: new Date(W) });
    expect(rows[0].total).toBeCloseTo(then.total, 9);
  });

  it('keeps a lead recycled above the MQL threshold recycled until its score has fallen below it and reached it again', async () => {
    await postAndDecide('nurtured', [{ type: 'email.opened', occurredAt: iso(W + 1_000) }]);
    expect((await stagesOf('nurtured')).current.stage).toBe('recycled');
    await postAndDecide('nurtured', [{ type: 'email.unsubscribed', occurredAt: iso(W + 2_000) }]);
    expect((await stagesOf('nurtured')).current.stage).toBe('recycled');

    const [demo] = await postAndDecide('nurtured', [
      { type: 'form.submitted', occurredAt: iso(W + 3_000), properties: { form: 'demo-request' } },
    ]);
    const { current, history } = await stagesOf('nurtured');
    expect(current).toEqual({ stage: 'mql', since: iso(W + 3_000) });
    expect(history.at(-1)).toMatchObject({
      from: 'recycled',
      to: 'mql',
      reason: 'threshold',
      triggeringEventId: demo,
    });
  });

  it('dates a change an event decided after a later move by hand no earlier than that move', async () => {
    const accepted = await moveLead('accepted', { action: 'accept', actor: 'kim' });
    expect(accepted.body.change).toMatchObject({ from: 'mql', to: 'sql', at: iso(W) });

    // A meeting booked a minute before the accept, delivered after it.
    const [meeting] = await postAndDecide('accepted', [
      { type: 'meeting.booked', occurredAt: iso(W - 60_000) },
    ]);
    const { current, history } = await stagesOf('accepted');
    expect(history.at(-1)).toMatchObject({
      from: 'sql',
      to: 'prospect',
      at: iso(W),
      reason: 'two-way-signal',
      triggeringEventId: meeting,
    });
    const instants = history.map((change: { at: string }) => Date.parse(change.at));
    expect(instants).toEqual([...instants].sort((a, b) => a - b));
    expect(current).toEqual({ stage: 'prospect', since: iso(W) });
  });

  it('accepting a prospect changes nothing: 200, changed false, the stage it is in', async () => {
    const before = (await get(pipeline().api, '/v1/leads/accepted/events?limit=1000')).body.events.length;
    const response = await moveLead('accepted', { action: 'accept', actor: 'kim' });
    expect(response.status, JSON.stringify(response.body)).toBe(200);
    expect(response.body).toEqual({ leadId: 'accepted', changed: false, stage: 'prospect', change: null });
    expect((await get(pipeline().api, '/v1/leads/accepted/events?limit=1000')).body.events).toHaveLength(
      before,
    );
    expect((await stagesOf('accepted')).current.stage).toBe('prospect');
  });
});
