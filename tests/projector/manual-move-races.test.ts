import type pg from 'pg';
import { beforeAll, expect, it } from 'vitest';
import { leadStreamId, type ScoreChangedMessage } from '../../packages/contracts/src/index.js';
import { AppendOrderConflictError } from '../../packages/eventstore/src/index.js';
import { compileRuleset, defaultRuleset } from '../../packages/scoring/src/index.js';
import { scoreChangeObservation } from '../../services/projector/src/consumer/score-change-observation.js';
import { createManualStageChange, fixedRulesetCatalog } from '../../services/projector/src/index.js';
import { decideLeads } from '../../services/projector/src/stages/decide-leads.js';
import { recordStageDecision } from '../../services/projector/src/stages/record-stage-decision.js';
import { streamsOutOfLogOrder } from '../support/log-order.js';
import { useDecisionPath } from './support/decision-path.js';
import { recordJourney } from './support/lead-journey.js';
import { HOUR, vpTraits } from './support/publish.js';
import { moves, stageReadModel, storedStageChanges } from './support/stage-store.js';

// People moving one lead at the same time as each other and as the projector, against real
// PostgreSQL: every move is its own change, the read model ends where the store does, and the
// global log (which the relay publishes in order) holds each lead's changes in stream order.

const { pool: poolOf, context } = useDecisionPath();
const ruleset = compileRuleset(defaultRuleset);
const rulesets = fixedRulesetCatalog();
const T = Date.UTC(2026, 2, 2, 9);
let pool: pg.Pool;

beforeAll(() => {
  pool = poolOf();
});

/** A lead the projector has looked at (so people can move it): profile, then a demo request. */
async function scoredLead(leadId: string) {
  const { scoreChanges } = await recordJourney(
    pool,
    { id: leadId, email: `${leadId}@acme.io` },
    [
      { type: 'profile.updated', at: T, traits: vpTraits },
      { type: 'form.submitted', at: T + HOUR, properties: { form: 'demo-request' } },
    ],
    ruleset,
  );
  await recordStageDecision(pool, leadId, scoreChangeObservation(scoreChanges[0]!, rulesets), context);
  return scoreChanges;
}

const manualMoves = (now: () => number) => createManualStageChange({ pool, rulesets, now, ...context });

/** The lead's events in the order the relay reads the global log, as stream positions. */
async function positionsInLogOrder(leadId: string): Promise<number[]> {
  const { rows } = await pool.query<{ stream_position: string }>(
    `SELECT stream_position FROM eventstore.messages WHERE stream_id = $1
      ORDER BY transaction_id, global_position`,
    [leadStreamId(leadId)],
  );
  return rows.map((row) => Number(row.stream_position));
}

it('records the same move made twice at one instant as two changes, and the read model ends where the store does', async () => {
  await scoredLead('twice-by-hand');
  // A clock that stands still: every move is dated at the same instant (never before the last).
  const move = manualMoves(() => T + 5 * HOUR);
  for (const to of ['disqualified', 'sql', 'disqualified', 'sql']) {
    const { change } = await move('twice-by-hand', to, 'mia@sales', '');
    expect(change?.to).toBe(to);
  }

  const stored = await storedStageChanges(pool, 'twice-by-hand');
  expect(moves(stored.map((event) => event.data))).toEqual([
    'lead->disqualified',
    'disqualified->sql',
    'sql->disqualified',
    'disqualified->sql',
  ]);
  expect(new Set(stored.map((event) => event.eventId)).size).toBe(4);
  const { lead, history } = await stageReadModel(pool, 'twice-by-hand');
  expect(lead?.stage).toBe('sql');
  expect(history.map((row) => row.event_id)).toEqual(stored.map((event) => event.eventId));
});

it('refuses to append from a transaction older than the lead stream’s latest append', async () => {
  const [, demo] = await scoredLead('older');
  const older = await pool.connect();
  try {
    await older.query('BEGIN');
    // This transaction has its id now, as one does that locked a row and then waited.
    await older.query('SELECT pg_current_xact_id()');
    await manualMoves(() => T + 5 * HOUR)('older', 'disqualified', 'mia@sales', '');
    await expect(
      decideLeads(older, [{ leadId: 'older', looks: [scoreChangeObservation(demo!, rulesets)] }]),
    ).rejects.toBeInstanceOf(AppendOrderConflictError);
  } finally {
    await older.query('ROLLBACK');
    older.release();
  }
  // Decided again in a transaction of its own, the look finds the lead disqualified: no move.
  const again = await recordStageDecision(pool, 'older', scoreChangeObservation(demo!, rulesets), context);
  expect(again.changes).toEqual([]);
  expect(await positionsInLogOrder('older')).toEqual([1, 2, 3]);
});

it('keeps every lead’s changes in stream order in the log, and the read model on the store, when people and the projector move it at once', async () => {
  const leads = Array.from({ length: 12 }, (_, i) => `crowded-${i}`);
  const demos = new Map<string, ScoreChangedMessage>();
  for (const leadId of leads) demos.set(leadId, (await scoredLead(leadId))[1]!);
  const move = manualMoves(() => Date.now());
  const targets = ['disqualified', 'recycled', 'sql', 'disqualified', 'recycled', 'sql'];

  await Promise.all(
    leads.flatMap((leadId) => [
      ...targets.map((to) => move(leadId, to, 'mia@sales', '')),
      recordStageDecision(pool, leadId, scoreChangeObservation(demos.get(leadId)!, rulesets), context),
    ]),
  );

  for (const leadId of leads) {
    const stored = await storedStageChanges(pool, leadId);
    const chained = stored.every((event, i) => i === 0 || event.data.from === stored[i - 1]!.data.to);
    expect({ leadId, chained }).toEqual({ leadId, chained: true });
    expect((await stageReadModel(pool, leadId)).lead?.stage).toBe(stored.at(-1)?.data.to);
  }
  expect(await streamsOutOfLogOrder(pool)).toEqual([]);
});
