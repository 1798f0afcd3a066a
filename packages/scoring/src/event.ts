import { z } from 'zod';
import { EventInvalidError, toIssues } from './errors.js';

const EpochMsSchema = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER);

/**
 * What the engine needs to know about an event. The wire event (packages/contracts) is mapped onto
 * this shape; the engine never sees transport details.
 *
 * - `occurredAt` is epoch milliseconds; events are ordered by (occurredAt, id).
 * - `properties` feed engagement rules. An email open flagged by the sender as a machine open (Apple
 *   Mail privacy protection, security scanners) carries `properties.machineOpen === true`.
 * - `traits` feed fit rules; the latest value of each trait wins. Put the lead's e-mail address in
 *   `traits.email` for rules on the address (free-mail, student domains).
 */
export const ScoringEventSchema = z.object({
  id: z.string().min(1),
  type: z.string().min(1),
  occurredAt: EpochMsSchema,
  properties: z.record(z.string(), z.unknown()).optional(),
  traits: z.record(z.string(), z.unknown()).optional(),
});
export type ScoringEvent = z.infer<typeof ScoringEventSchema>;

export function parseScoringEvent(input: unknown): ScoringEvent {
  const result = ScoringEventSchema.safeParse(input);
  if (!result.success) throw new EventInvalidError(toIssues(result.error));
  return result.data;
}

/** The canonical order of a lead's events: by time, then by id so equal times still sort one way. */
export function compareEvents(a: Pick<ScoringEvent, 'occurredAt' | 'id'>, b: typeof a): number {
  if (a.occurredAt !== b.occurredAt) return a.occurredAt - b.occurredAt;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}
