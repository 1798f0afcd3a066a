import { isActivityType, leadStreamId } from '@leadscore/contracts';
import { type Queryable, readStream } from '@leadscore/eventstore';
import { type ScoringEvent, scoringEventFromStored } from '@leadscore/scoring';

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
  const events = stream.events.filter((event) => isActivityType(event.type)).map(scoringEventFromStored);
  return { exists: stream.currentVersion > 0, events };
}
