import { isActivityType, leadStreamId } from '@leadscore/contracts';
import { type Queryable, readStream, toLeadEvent } from '@leadscore/eventstore';
import type { ScoringEvent } from '@leadscore/scoring';

export interface LeadActivity {
  /** Whether the lead's stream exists at all (it may hold no activity up to the instant asked). */
  readonly exists: boolean;
  readonly events: readonly ScoringEvent[];
}

/**
 * The lead's activity and profile events that occurred up to `until` (all of them without it),
 * as the engine sees them, read from the event store: the source of truth, so a score computed
 * from them needs no read model.
 */
export async function readLeadActivity(db: Queryable, leadId: string, until?: number): Promise<LeadActivity> {
  const stream = await readStream(
    db,
    leadStreamId(leadId),
    until === undefined ? {} : { until: new Date(until) },
  );
  const events = stream.events
    .filter((event) => isActivityType(event.type))
    .map((event) => toScoringEvent(toLeadEvent(event, leadId)));
  return { exists: stream.currentVersion > 0, events };
}

/**
 * The engine's view of a recorded event, exactly as the scoring service maps it
 * (services/scoring/src/engine/to-scoring-event.ts): the lead's address is offered as the trait
 * `email` for fit rules on the address, unless the caller sent that trait itself. The api
 * integration tests compare the two paths' scores.
 */
function toScoringEvent(event: ReturnType<typeof toLeadEvent>): ScoringEvent {
  const { email, properties, traits } = event.data;
  const withEmail = email === undefined ? traits : { email, ...traits };
  return {
    id: event.eventId,
    type: event.type,
    occurredAt: Date.parse(event.occurredAt),
    ...(properties === undefined ? {} : { properties }),
    ...(withEmail === undefined ? {} : { traits: withEmail }),
  };
}
