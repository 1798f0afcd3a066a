import type { LeadEvent } from '@leadscore/contracts';
import type { ScoringEvent } from '@leadscore/scoring';

/**
 * The engine's view of a recorded lead event. The lead's e-mail address is offered as the trait
 * `email`, which fit rules on the address (free-mail, student domains) read; a trait the caller
 * sent explicitly under that name wins.
 */
export function toScoringEvent(event: LeadEvent): ScoringEvent {
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
