import { type ActivityMessage, leadStreamId, type Topics, toActivityData } from '@leadscore/contracts';
import type { IdConflict } from '@leadscore/eventstore';
import {
  type Bus,
  type ConsumedBatch,
  type ConsumedMessage,
  coalesceConcurrent,
  type Subscription,
} from '@leadscore/kafka';
import type { Logger } from 'pino';
import type { IngestMetrics } from '../metrics.js';
import { deadLetterMessage, type Rejection } from './dead-letter.js';
import { decodeActivityMessage } from './decode-activity-message.js';
import type { ActivityAppender, ActivityToStore } from './store-activities.js';

export const INGEST_CONSUMER_GROUP = 'leadscore-ingest';

/**
 * Most events one shared append holds. A live tail's fetch hands over a few small batches at once,
 * far below it; a backlog's (up to a megabyte per partition) stay in transactions of about this
 * size, so one lock set, one insert and one commit do not grow with the backlog.
 */
const EVENTS_PER_SHARED_APPEND = 2_000;

interface ValidMessage {
  readonly message: ConsumedMessage;
  readonly activity: ActivityToStore;
}

interface RejectedMessage {
  readonly message: ConsumedMessage;
  readonly rejection: Rejection;
}

export interface ActivityConsumerOptions {
  readonly bus: Bus;
  readonly topics: Pick<Topics, 'activity' | 'activityDlq'>;
  readonly store: ActivityAppender;
  readonly logger: Logger;
  readonly metrics: IngestMetrics;
  readonly now: () => number;
  readonly groupId?: string;
}

/**
 * Builds the batch handler of the raw consumer. Per batch: valid messages are appended to their
 * lead streams in one transaction (ids already stored are skipped, so redeliveries and resends
 * are stored once); then invalid ones go to the DLQ. Only then does the handler resolve and the
 * bus commit the offsets. Appending first means a database outage never multiplies DLQ copies:
 * the handler throws before publishing anything and the bus redelivers the batch.
 *
 * Batches of other partitions handed over by the same fetch share the transaction
 * (coalesceConcurrent): a lead's events all sit on one partition, so the shared append keeps
 * each stream's order, and a batch still resolves only once its own events are stored. That lets
 * a fetch answer as soon as data is there: the fixed cost of an append (three round trips and a
 * commit) is paid once per fetch, not once per partition. A shared append that fails is retried
 * batch by batch, so only the batch that cannot be stored is redelivered.
 */
export function createActivityBatchHandler(options: ActivityConsumerOptions) {
  const { logger, metrics } = options;

  /** Counts and logs a failed step, then rethrows so the bus delivers the whole batch again. */
  async function orRedeliver<T>(batch: ConsumedBatch, step: string, work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (error) {
      metrics.batchFailures.inc();
      const where = {
        topic: batch.topic,
        partition: batch.partition,
        firstOffset: batch.messages[0]?.offset,
      };
      logger.error({ err: error, step, ...where }, `${step} failed; the batch will be delivered again`);
      throw error;
    }
  }

  // Events an append did not store because their id names another lead's event, by
  // conflictKey, until the handler of their batch dead-letters them (a shared append serves
  // several batches; a lead's events are all in one of them).
  const conflicted = new Map<string, IdConflict>();

  async function append(activities: readonly ActivityToStore[]): Promise<void> {
    const stopTimer = metrics.appendSeconds.startTimer();
    try {
      const result = await options.store(activities);
      metrics.eventsAppended.inc(result.appended);
      metrics.eventsAlreadyStored.inc(result.alreadyStored);
      for (const conflict of result.conflicts) conflicted.set(conflictKey(conflict), conflict);
    } finally {
      stopTimer();
    }
  }

  /**
   * The batch's messages whose event was not stored because its id names another event (another
   * lead's, or another of the same lead): the sender reused an id. Answered 202, so dead-lettered
   * rather than dropped.
   */
  function takeConflicts(valid: readonly ValidMessage[]): RejectedMessage[] {
    const rejected: RejectedMessage[] = [];
    for (const { message, activity } of valid) {
      const key = conflictKey({ eventId: activity.eventId, streamId: activity.streamId });
      const conflict = conflicted.get(key);
      if (conflict === undefined) continue;
      conflicted.delete(key);
      const detail =
        conflict.storedStreamId === conflict.streamId
          ? `event id ${conflict.eventId} already names another event of ${conflict.streamId} (another type, time or data); this one was not stored`
          : `event id ${conflict.eventId} already names an event of ${conflict.storedStreamId}; this event of ${conflict.streamId} was not stored`;
      rejected.push({ message, rejection: { reason: 'id-conflict', detail } });
    }
    return rejected;
  }

  const store = coalesceConcurrent<readonly ActivityToStore[]>(
    (batches) => append(batches.flat()),
    (toStore) => toStore.length,
    EVENTS_PER_SHARED_APPEND,
  );

  /**
   * Stores the batch's valid messages; returns those the database refuses as values it cannot
   * store (see isUnstorableValueError), found by storing the batch's messages one by one once
   * the whole batch was refused. The webhook accepts only what can be stored, so this is a safety
   * net: without it such a message would be delivered again forever and hold up its partition.
   */
  async function storeAllStorable(valid: readonly ValidMessage[]): Promise<RejectedMessage[]> {
    try {
      await store(valid.map(({ activity }) => activity));
      return [];
    } catch (error) {
      if (!isUnstorableValueError(error)) throw error;
    }
    const refused: RejectedMessage[] = [];
    for (const { message, activity } of valid) {
      try {
        await append([activity]);
      } catch (error) {
        if (!isUnstorableValueError(error)) throw error;
        refused.push({
          message,
          rejection: { reason: 'unstorable-event', detail: (error as Error).message },
        });
      }
    }
    return refused;
  }

  async function deadLetter(rejected: readonly RejectedMessage[]): Promise<void> {
    await options.bus.publish(
      options.topics.activityDlq,
      rejected.map(({ message, rejection }) => deadLetterMessage(message, rejection)),
    );
    for (const { message, rejection } of rejected) {
      metrics.deadLettered.inc({ reason: rejection.reason });
      logger.warn(
        { topic: message.topic, partition: message.partition, offset: message.offset, ...rejection },
        'message sent to the dead-letter topic',
      );
    }
  }

  return async function handleActivityBatch(batch: ConsumedBatch): Promise<void> {
    const valid: ValidMessage[] = [];
    const rejected: RejectedMessage[] = [];
    for (const message of batch.messages) {
      const decoded = decodeActivityMessage(message);
      if (decoded.ok)
        valid.push({ message, activity: activityToStore(decoded.activity, decoded.leadId, message) });
      else rejected.push({ message, rejection: decoded.rejection });
    }
    if (valid.length > 0) {
      const refused = await orRedeliver(batch, 'appending to the event store', () => storeAllStorable(valid));
      rejected.push(...refused, ...takeConflicts(valid));
    }
    if (rejected.length > 0)
      await orRedeliver(batch, 'publishing to the dead-letter topic', () => deadLetter(rejected));

    const newest = batch.messages.at(-1);
    if (newest) {
      metrics.consumerLagSeconds.set(
        { partition: String(batch.partition) },
        Math.max(0, options.now() - newest.timestamp) / 1000,
      );
    }
  };
}

const conflictKey = (event: { readonly eventId: string; readonly streamId: string }) =>
  `${event.streamId}\n${event.eventId}`;

/**
 * PostgreSQL's refusal of a value it can never store, whatever is retried: a data exception
 * (SQLSTATE class 22: a date out of range, text it cannot encode, JSON it cannot parse) or a
 * value nesting too deep for it (54001).
 */
export function isUnstorableValueError(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && (code.startsWith('22') || code === '54001');
}

/** Subscribes the raw consumer to the activity topic; stop() drains the batch in hand. */
export function startActivityConsumer(options: ActivityConsumerOptions): Promise<Subscription> {
  return options.bus.subscribe({
    groupId: options.groupId ?? INGEST_CONSUMER_GROUP,
    topics: [options.topics.activity],
    fromBeginning: true,
    handleBatch: createActivityBatchHandler(options),
  });
}

function activityToStore(
  activity: ActivityMessage,
  leadId: string,
  message: ConsumedMessage,
): ActivityToStore {
  return {
    streamId: leadStreamId(leadId),
    eventId: activity.id,
    type: activity.type,
    data: toActivityData(activity),
    occurredAt: activity.occurredAt,
    metadata: {
      receivedAt: activity.receivedAt,
      source: { topic: message.topic, partition: message.partition, offset: message.offset },
    },
  };
}
