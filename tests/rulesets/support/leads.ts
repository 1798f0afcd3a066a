import type pg from 'pg';
import type { ActivityEventInput } from '../../../packages/contracts/src/index.js';
import { leadStreamId } from '../../../packages/contracts/src/index.js';
import { readStream } from '../../../packages/eventstore/src/index.js';
import { type ScoringEvent, scoringEventFromStored } from '../../../packages/scoring/src/index.js';

export const MINUTE = 60_000;
const iso = (ms: number) => new Date(ms).toISOString();

/** `count` events of one type for a lead, a minute apart from `start`. */
export function activities(
  leadId: string,
  type: string,
  count: number,
  start: number,
  properties: Record<string, unknown> = {},
): ActivityEventInput[] {
  return Array.from({ length: count }, (_, i) => ({
    type,
    lead: { id: leadId },
    occurredAt: iso(start + i * MINUTE),
    properties,
  })) as ActivityEventInput[];
}

/** A lead's activity events as the store holds them, in the engine's shape: the independent input. */
export async function storedScoringEvents(pool: pg.Pool, leadId: string): Promise<ScoringEvent[]> {
  const { events } = await readStream(pool, leadStreamId(leadId));
  return events.filter((event) => event.type !== 'LeadStageChanged').map(scoringEventFromStored);
}
