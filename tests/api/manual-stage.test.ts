import { beforeAll, describe, expect, it } from 'vitest';
import { emailLeadId, stageChangedMessageSchema } from '../../packages/contracts/src/index.js';
import { eventually } from '../eventstore/eventually.js';
import { seedJourney } from './support/journey.js';
import { KEYS, usePipeline } from './support/pipeline.js';
import { call, expectProblem, get } from './support/requests.js';
import { countByLead, DAY, postEvents, untilScored } from './support/seed.js';

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
});
