import type { ActivityData, LeadEvent } from '@leadscore/contracts';
import type { RecordedEvent } from '@leadscore/eventstore';
import type { RecordedActivity } from '@leadscore/scoring';

/**
 * A lead's recorded activity as the engine folds it: the time in epoch ms and the position as a
 * bigint, converted once. Rescoring reads these straight from the store; a lead event from the
 * topic (ISO times, decimal positions) becomes one with `leadActivityOf`.
 */
export interface LeadActivity extends RecordedActivity {
  readonly leadId: string;
  readonly globalPosition: bigint;
}

export function leadActivityOf(event: LeadEvent): LeadActivity {
  return {
    eventId: event.eventId,
    leadId: event.leadId,
    type: event.type,
    occurredAt: Date.parse(event.occurredAt),
    globalPosition: BigInt(event.globalPosition),
    data: event.data,
  };
}

/** A recorded event of the lead's stream; the caller keeps only activity and profile events. */
export function leadActivityFromStore(event: RecordedEvent, leadId: string): LeadActivity {
  return {
    eventId: event.eventId,
    leadId,
    type: event.type,
    // A Date of the store has whole milliseconds: the same instant the topic's ISO string names.
    occurredAt: event.occurredAt.getTime(),
    globalPosition: event.globalPosition,
    // Validated by the ingest before it was stored; the store is the source of truth.
    data: event.data as ActivityData,
  };
}
