import type { LeadEvent } from '@leadscore/contracts';
import { type ScoringEvent, scoringEventFromActivity } from '@leadscore/scoring';

/** The engine's view of a lead event from leadscore.lead-events.v1. */
export function toScoringEvent(event: LeadEvent): ScoringEvent {
  return scoringEventFromActivity({ ...event, occurredAt: Date.parse(event.occurredAt) });
}
