import type pg from 'pg';
import { beforeAll, describe, expect, it } from 'vitest';
import { leadStreamId, type ScoreChangedMessage } from '../../packages/contracts/src/index.js';
import { appendToStream } from '../../packages/eventstore/src/index.js';
import { compileRuleset, defaultRuleset } from '../../packages/scoring/src/index.js';
import { scoreChangeObservation } from '../../services/projector/src/consumer/score-change-observation.js';
import { fixedRulesetCatalog } from '../../services/projector/src/index.js';
import type { LeadLooks, Observe } from '../../services/projector/src/stages/decide-leads.js';
import { recordStageDecision } from '../../services/projector/src/stages/record-stage-decision.js';
import { recordStageDecisions } from '../../services/projector/src/stages/record-stage-decisions.js';
import { kafkaBrokers, uniqueTopicPrefix } from '../support/infra.js';
import { useDecisionPath } from './support/decision-path.js';
import { interfering } from './support/interfering.js';
import { recordJourney } from './support/lead-journey.js';
import { counterValue, startProjector } from './support/projector-harness.js';
import { HOUR, publishScoreChanges, vpTraits } from './support/publish.js';
import { moves, storedStageChanges } from './support/stage-store.js';
import { eventually } from './support/stage-topic.js';

// The batch decision path against real PostgreSQL: many leads' score changes decided in one
// transaction must leave exactly what deciding them one at a time leaves, survive redelivery,
// and redo (or split) the batch when a concurrent writer moves one of its streams.

const { database, pool: poolOf, context, conflicts } = useDecisionPath();
const ruleset = compileRuleset(defaultRuleset);
const rulesets = fixedRulesetCatalog();
const T = Date.UTC(2026, 2, 2, 9);
let pool: pg.Pool;

beforeAll(() => {
  pool = poolOf();
});

/**
 * Lead `i` of a kind: qualifying ones (even i) reach mql on the demo and sql on the webinar;
 * the others open one e-mail and stay leads.
 */
async function journeyOf(leadId: string, i: number): Promise<readonly ScoreChangedMessage[]> {
  const qualifying = [
    { type: 'profile.updated', at: T + i, traits: vpTraits },
    { type: 'form.submitted', at: T + HOUR + i, properties: { form: 'demo-request' } },
    { type: 'form.submitted', at: T + 2 * HOUR + i, properties: { form: 'contact' } },
    { type: 'webinar.attended', at: T + 3 * HOUR + i },
  ];
  const cold = [
    { type: 'profile.updated', at: T + i, traits: { title: 'Student' } },
    { type: 'email.opened', at: T + HOUR + i },
  ];
  const { scoreChanges } = await recordJourney(
    pool,
    { id: leadId, email: `${leadId}@acme.io` },
    i % 2 === 0 ? qualifying : cold,
    ruleset,
  );
  return scoreChanges;
}

async function journeys(prefix: string, count: number): Promise<Map<string, readonly ScoreChangedMessage[]>> {
  const byLead = new Map<string, readonly ScoreChangedMessage[]>();
  for (let i = 0; i < count; i += 1) byLead.set(`${prefix}-${i}`, await journeyOf(`${prefix}-${i}`, i));
  return byLead;
}

function looksAt(
  byLead: ReadonlyMap<string, readonly ScoreChangedMessage[]>,
  wrap: (leadId: string, look: Observe, index: number) => Observe = (_, look) => look,
): LeadLooks[] {
  return [...byLead].map(([leadId, changes]) => ({
    leadId,
    looks: changes.map((change, index) => wrap(leadId, scoreChangeObservation(change, rulesets), index)),
  }));
}

/** A lead's read-model row and history, without what names the lead itself. */
async function readModelOf(leadId: string) {
  const { rows } = await pool.query(
    `SELECT stage, since, ruleset_id, ruleset_version, engagement, fit, total, grade, temperature, two_way,
            score_at, next_check_at FROM lead_stages WHERE lead_id = $1`,
    [leadId],
  );
  const history = await pool.query(
    `SELECT stream_position, from_stage, to_stage, changed_at, reason, total, grade
       FROM lead_stage_history WHERE lead_id = $1 ORDER BY stream_position`,
    [leadId],
  );
  return { row: rows[0], history: history.rows };
}

const storedMoves = async (leadId: string) =>
  moves((await storedStageChanges(pool, leadId)).map((event) => event.data));

describe('deciding a batch of leads in one transaction', () => {
  it('leaves the store and the read model exactly as deciding one change at a time does', async () => {
    const batched = await journeys('same-batch', 6);
    const alone = await journeys('same-alone', 6);
    const decisions = await recordStageDecisions(pool, looksAt(batched), context);
    for (const [leadId, changes] of alone) {
      for (const change of changes) {
        await recordStageDecision(pool, leadId, scoreChangeObservation(change, rulesets), context);
      }
    }

    expect(decisions.map((decision) => decision.leadId)).toEqual([...batched.keys()]);
    for (let i = 0; i < 6; i += 1) {
      const [batchLead, aloneLead] = [`same-batch-${i}`, `same-alone-${i}`];
      expect(await storedMoves(batchLead)).toEqual(i % 2 === 0 ? ['lead->mql', 'mql->sql'] : []);
      expect(await storedMoves(batchLead)).toEqual(await storedMoves(aloneLead));
      expect(await readModelOf(batchLead)).toEqual(await readModelOf(aloneLead));
      expect(moves(decisions[i]!.changes)).toEqual(await storedMoves(batchLead));
      expect(decisions[i]!.decided).toEqual(batched.get(batchLead)!.map(() => true));
    }
  });

  it('decides nothing twice when a batch is redelivered, whole or after part of it was decided', async () => {
    const byLead = await journeys('again', 4);
    const firstHalf = new Map([...byLead].map(([leadId, changes]) => [leadId, changes.slice(0, 2)]));
    await recordStageDecisions(pool, looksAt(firstHalf), context);
    const before = await Promise.all([...byLead.keys()].map(storedMoves));

    const rest = await recordStageDecisions(pool, looksAt(byLead), context);
    expect(rest.map((decision) => decision.decided)).toEqual(
      [...byLead.values()].map((changes) => changes.map((_, look) => look >= 2)),
    );
    // The demo (the second change) moved the qualifying leads to mql; the webinar moves them on now.
    expect(before).toEqual([['lead->mql'], [], ['lead->mql'], []]);
    expect(rest.map((decision) => moves(decision.changes))).toEqual([['mql->sql'], [], ['mql->sql'], []]);

    const settled = await Promise.all([...byLead.keys()].map(readModelOf));
    const redelivered = await recordStageDecisions(pool, looksAt(byLead), context);
    expect(redelivered.flatMap((decision) => decision.decided)).not.toContain(true);
    expect(redelivered.flatMap((decision) => decision.changes)).toEqual([]);
    expect(await Promise.all([...byLead.keys()].map(readModelOf))).toEqual(settled);
    expect(await storedMoves('again-0')).toEqual(['lead->mql', 'mql->sql']);
  });

  it('decides the whole batch again when another writer moves one of its streams in between', async () => {
    const byLead = await journeys('raced', 3);
    const before = await conflicts();
    const counted: { calls: number }[] = [];
    const looks = looksAt(byLead, (leadId, look, index) => {
      const wrapped =
        leadId === 'raced-0' && index === 0
          ? interfering(look, () => appendActivity('raced-0', 'late-open'))
          : interfering(look, async () => {}, 0);
      counted.push(wrapped);
      return wrapped;
    });
    const decisions = await recordStageDecisions(pool, looks, context);

    expect(await conflicts()).toBe(before + 1);
    // Every look of every lead was taken twice: the first attempt kept nothing.
    expect(counted.map((look) => look.calls)).toEqual(counted.map(() => 2));
    expect(decisions.map((decision) => moves(decision.changes))).toEqual([
      ['lead->mql', 'mql->sql'],
      [],
      ['lead->mql', 'mql->sql'],
    ]);
    for (const leadId of byLead.keys()) {
      const stored = await storedMoves(leadId);
      expect(new Set(stored).size).toBe(stored.length);
    }
  });

  it('decides each lead alone once the batch keeps conflicting, so one busy lead holds back no other', async () => {
    const byLead = await journeys('busy', 3);
    const before = await conflicts();
    let interference = 0;
    const interfere = () => {
      interference += 1;
      return appendActivity('busy-0', `open-${interference}`);
    };
    const looks = looksAt(byLead, (leadId, look, index) =>
      leadId === 'busy-0' && index === 0 ? interfering(look, interfere, 3) : look,
    );
    const decisions = await recordStageDecisions(pool, looks, context);

    // Three batch attempts conflicted; then each lead alone, the busy one no longer disturbed.
    expect(await conflicts()).toBe(before + 3);
    expect(decisions.map((decision) => decision.leadId)).toEqual(['busy-0', 'busy-1', 'busy-2']);
    expect(decisions.map((decision) => moves(decision.changes))).toEqual([
      ['lead->mql', 'mql->sql'],
      [],
      ['lead->mql', 'mql->sql'],
    ]);
    expect(await storedMoves('busy-0')).toEqual(['lead->mql', 'mql->sql']);
  });

  it('lets two batches over the same leads, locked in opposite orders, both finish without a deadlock', async () => {
    const byLead = await journeys('crossed', 4);
    const forward = looksAt(byLead, (_, look) => slowly(look));
    const backward = looksAt(byLead).reverse();
    const [first, second] = await Promise.all([
      recordStageDecisions(pool, forward, context),
      recordStageDecisions(pool, backward, context),
    ]);

    const changes = [...first, ...second].flatMap((decision) => moves(decision.changes));
    expect(changes.sort()).toEqual(['lead->mql', 'lead->mql', 'mql->sql', 'mql->sql']);
    for (const leadId of byLead.keys()) {
      expect(await storedMoves(leadId)).toEqual(
        leadId.endsWith('0') || leadId.endsWith('2') ? ['lead->mql', 'mql->sql'] : [],
      );
    }
  });
});

describe('the consumer, on the broker', () => {
  it('decides many leads published together once, and their redelivery not again', async () => {
    const byLead = await journeys('consumed', 12);
    // In waves, every lead's first change, then every lead's second...: one batch holds many leads.
    const waves = [0, 1, 2, 3].flatMap((step) =>
      [...byLead.values()].flatMap((changes) => changes.slice(step, step + 1)),
    );
    const projector = await startProjector({
      databaseUrl: database().url,
      brokers: kafkaBrokers(),
      topicPrefix: uniqueTopicPrefix(),
    });
    const outcome = (label: string) =>
      counterValue(projector.metrics, 'leadscore_projector_score_changes_total', { outcome: label });
    try {
      await publishScoreChanges(projector.bus, projector.topics.scoreChanged, waves);
      await eventually(
        async () => (await outcome('decided')) === waves.length,
        async () => `${await outcome('decided')} of ${waves.length} decided`,
      );
      await publishScoreChanges(projector.bus, projector.topics.scoreChanged, waves);
      await eventually(
        async () => (await outcome('duplicate')) === waves.length,
        async () => `${await outcome('duplicate')} of ${waves.length} recognised`,
      );
    } finally {
      await projector.close();
    }
    expect(await outcome('decided')).toBe(waves.length);
    for (const [i, leadId] of [...byLead.keys()].entries()) {
      expect(await storedMoves(leadId)).toEqual(i % 2 === 0 ? ['lead->mql', 'mql->sql'] : []);
      expect((await readModelOf(leadId)).history).toHaveLength(i % 2 === 0 ? 2 : 0);
    }
  });
});

function appendActivity(leadId: string, id: string) {
  return appendToStream(pool, leadStreamId(leadId), [
    { id: `${leadId}-${id}`, type: 'email.opened', data: {}, occurredAt: new Date(T + 5 * HOUR) },
  ]);
}

/** Holds the decision's locks a while, so a competing batch surely waits on them. */
function slowly(look: Observe): Observe {
  return async (...args) => {
    await new Promise((resolve) => setTimeout(resolve, 50));
    return look(...args);
  };
}
