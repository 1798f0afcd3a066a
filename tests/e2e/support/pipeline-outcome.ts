import type pg from 'pg';
import type { ActivityEventInput } from '../../../packages/contracts/src/index.js';
import { type CompiledRuleset, type ScoringEvent, scoreEvents } from '../../../packages/scoring/src/index.js';
import { scoringEventsOf } from '../../api/support/journey.js';
import { expectedStageChanges } from './engine-expectations.js';

/** Posted events grouped by lead id, as the engine sees them (ids as the webhook returned them). */
export function engineEventsByLead(
  events: readonly ActivityEventInput[],
  ids: readonly string[],
): Map<string, ScoringEvent[]> {
  const byLead = new Map<string, ScoringEvent[]>();
  scoringEventsOf(events, ids).forEach((event, index) => {
    const leadId = events[index]!.lead.id!;
    byLead.set(leadId, [...(byLead.get(leadId) ?? []), event]);
  });
  return byLead;
}

/**
 * Every lead whose lead_scores row differs from the engine's score of its events as of its latest
 * event (to 1e-6), described for the failure message; empty when all agree.
 */
export async function scoreMismatches(
  pool: pg.Pool,
  byLead: ReadonlyMap<string, readonly ScoringEvent[]>,
  ruleset: CompiledRuleset,
): Promise<string[]> {
  const { rows } = await pool.query<{
    lead_id: string;
    total: number;
    engagement: number;
    fit: number;
    grade: string;
    temperature: string;
    scored_at: Date;
  }>('SELECT lead_id, total, engagement, fit, grade, temperature, scored_at FROM lead_scores');
  const stored = new Map(rows.map((row) => [row.lead_id, row]));
  const mismatches: string[] = [];
  for (const [leadId, events] of byLead) {
    const row = stored.get(leadId);
    const at = Math.max(...events.map((event) => event.occurredAt));
    const expected = scoreEvents(events, ruleset, at);
    const agrees =
      row !== undefined &&
      row.scored_at.getTime() === at &&
      Math.abs(row.total - expected.total) < 1e-6 &&
      Math.abs(row.engagement - expected.engagement) < 1e-6 &&
      row.fit === expected.fit &&
      row.grade === expected.grade &&
      row.temperature === expected.temperature;
    if (!agrees)
      mismatches.push(`${leadId}: stored ${JSON.stringify(row)}, engine ${JSON.stringify(expected)}`);
  }
  if (stored.size !== byLead.size) mismatches.push(`${stored.size} leads scored, ${byLead.size} posted`);
  return mismatches;
}

export interface RecordedStageChange {
  readonly eventId: string;
  readonly leadId: string;
  readonly from: string;
  readonly to: string;
  readonly triggeringEventId: string | null;
}

/** The stage changes the store holds (LeadStageChanged events), in each lead's stream order. */
export async function storedStageChanges(pool: pg.Pool): Promise<RecordedStageChange[]> {
  const { rows } = await pool.query<RecordedStageChange>(
    `SELECT event_id AS "eventId", data->>'leadId' AS "leadId", data->>'from' AS "from", data->>'to' AS "to",
            data->>'triggeringEventId' AS "triggeringEventId"
       FROM eventstore.messages WHERE type = 'LeadStageChanged' ORDER BY stream_id, stream_position`,
  );
  return rows;
}

/** Leads whose stored stage changes differ from what the engine and decider call for; empty when all agree. */
export function stageMismatches(
  changes: readonly RecordedStageChange[],
  byLead: ReadonlyMap<string, readonly ScoringEvent[]>,
  ruleset: CompiledRuleset,
): string[] {
  const mismatches: string[] = [];
  for (const [leadId, events] of byLead) {
    const actual = changes
      .filter((change) => change.leadId === leadId)
      .map(({ from, to, triggeringEventId }) => ({ from, to, triggeringEventId }));
    const expected = expectedStageChanges(events, ruleset);
    if (JSON.stringify(actual) !== JSON.stringify(expected)) {
      mismatches.push(`${leadId}: stored ${JSON.stringify(actual)}, engine ${JSON.stringify(expected)}`);
    }
  }
  return mismatches;
}
