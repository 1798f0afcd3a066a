import type { ActivityData } from '@leadscore/contracts';
import type { ScoringEvent } from './event.js';

/** A recorded activity or profile event, as every reader of the store holds it. */
export interface RecordedActivity {
  readonly eventId: string;
  readonly type: string;
  /** Epoch milliseconds. */
  readonly occurredAt: number;
  readonly data: ActivityData;
}

/**
 * The engine's view of a recorded activity event, the one mapping shared by the scoring service,
 * the projector's decay checks and the API's time travel (their scores must agree to the bit).
 * The lead's e-mail address is offered as the trait `email`, which fit rules on the address
 * (free-mail, student domains) read; a trait the caller sent under that name wins. Either way the
 * address is compared as the webhook keys leads by it, trimmed and in lower case: a CRM's
 * "Mia@Gmail.com" is the free-mail address "mia@gmail.com", which a case-sensitive glob would miss.
 */
export function scoringEventFromActivity(event: RecordedActivity): ScoringEvent {
  const { email, properties, traits } = event.data;
  const withEmail = withNormalisedEmail(email === undefined ? traits : { email, ...traits });
  return {
    id: event.eventId,
    type: event.type,
    occurredAt: event.occurredAt,
    ...(properties === undefined ? {} : { properties }),
    ...(withEmail === undefined ? {} : { traits: withEmail }),
  };
}

function withNormalisedEmail(traits: ActivityData['traits']): ActivityData['traits'] {
  const email = traits?.email;
  if (typeof email !== 'string') return traits;
  const normalised = email.trim().toLowerCase();
  return normalised === email ? traits : { ...traits, email: normalised };
}

/**
 * An activity or profile event as the event store hands it back (its RecordedEvent, structurally:
 * this package does not depend on the store).
 */
export interface StoredActivity {
  readonly eventId: string;
  readonly type: string;
  readonly occurredAt: Date;
  readonly data: unknown;
}

/**
 * scoringEventFromActivity of an event read from the store. Its data is taken as ActivityData
 * unchecked: the ingest validated it before storing it, and the store is the source of truth.
 */
export function scoringEventFromStored(event: StoredActivity): ScoringEvent {
  return scoringEventFromActivity({
    eventId: event.eventId,
    type: event.type,
    occurredAt: event.occurredAt.getTime(),
    data: event.data as ActivityData,
  });
}
