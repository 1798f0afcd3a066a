import {
  activityEventSchema,
  leadKeyOf,
  leadStreamId,
  toActivityData,
  toActivityMessage,
} from '../../packages/contracts/src/index.js';
import { appendToStreams, type NewEvent, type Queryable } from '../../packages/eventstore/src/index.js';
import { EVENTS_PER_LEAD, nthEvent } from '../pipeline/load-plan.js';

export interface StoredLeadEventsOptions {
  /** Events to store; every lead gets EVENTS_PER_LEAD of them, so leads = events / EVENTS_PER_LEAD. */
  readonly events: number;
  /**
   * Events per wave of the load plan (bench:pipeline's rate). The plan is `waves`, as when these
   * stages' recorded figures were taken: all leads of a wave take the same step together.
   */
  readonly waveSize: number;
  /** Events per transaction: the size of one consumed Kafka batch in the ingest consumer. */
  readonly eventsPerAppend: number;
  readonly tag: string;
  /** Appends on a schedule at this rate (open loop), as a live ingest would; unset: at once. */
  readonly eventsPerSecond?: number;
}

/**
 * A store filled as the ingest consumer fills it under bench:pipeline's load: the same events
 * (load-plan.ts), the same data and metadata, appended with appendToStreams in consumer-sized
 * transactions. The stages after the store (relay, scoring) are benchmarked on it alone.
 */
export async function storeLeadEvents(db: Queryable, options: StoredLeadEventsOptions): Promise<void> {
  const start = Date.UTC(2026, 0, 5);
  const receivedAt = new Date();
  const started = performance.now();
  for (let first = 0; first < options.events; first += options.eventsPerAppend) {
    if (options.eventsPerSecond !== undefined) {
      const dueMs = started + (first / options.eventsPerSecond) * 1000 - performance.now();
      if (dueMs > 0) await new Promise((resolve) => setTimeout(resolve, dueMs));
    }
    const byStream = new Map<string, NewEvent[]>();
    const last = Math.min(options.events, first + options.eventsPerAppend);
    for (let n = first; n < last; n += 1) {
      const message = toActivityMessage(
        activityEventSchema.parse(nthEvent(n, options.waveSize, options.tag, start, 'waves')),
        receivedAt,
      );
      const streamId = leadStreamId(leadKeyOf(message.lead));
      const events = byStream.get(streamId) ?? [];
      events.push({
        id: message.id,
        type: message.type,
        data: toActivityData(message),
        metadata: {
          receivedAt: message.receivedAt,
          source: { topic: 'leadscore.activity.v1', partition: n % 6, offset: String(n) },
        },
        occurredAt: new Date(message.occurredAt),
      });
      byStream.set(streamId, events);
    }
    await appendToStreams(
      db,
      [...byStream].map(([streamId, events]) => ({ streamId, events, expectedVersion: 'any' as const })),
    );
  }
}

export { EVENTS_PER_LEAD };
