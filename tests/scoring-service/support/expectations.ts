import type pg from 'pg';
import {
  type CompiledRuleset,
  compileRuleset,
  defaultRuleset,
  type ScoreView,
  scoreEvents,
} from '../../../packages/scoring/src/index.js';
import { type LeadActivity, scoringEventOf } from './lead-journeys.js';

export const ruleset: CompiledRuleset = compileRuleset(defaultRuleset);

/** The engine's canonical score of a lead's events as of `at` (default: its latest event). */
export function canonicalScore(events: readonly LeadActivity[], at?: number): ScoreView {
  const latest = Math.max(...events.map((event) => event.occurredAt.getTime()));
  return scoreEvents(events.map(scoringEventOf), ruleset, at ?? latest);
}

/** Global position of every stored event, by event id. */
export async function globalPositions(pool: pg.Pool): Promise<Map<string, bigint>> {
  const { rows } = await pool.query<{ event_id: string; global_position: string }>(
    'SELECT event_id, global_position FROM eventstore.messages',
  );
  return new Map(rows.map((row) => [row.event_id, BigInt(row.global_position)]));
}

export function expectClose(actual: number, expected: number, what: string): void {
  if (Math.abs(actual - expected) > 1e-9)
    throw new Error(`${what}: ${actual} differs from ${expected} by more than 1e-9`);
}
