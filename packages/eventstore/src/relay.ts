import type { Bus, OutgoingMessage } from '@leadscore/kafka';
import type pg from 'pg';
import { tailTheLog } from './log-tail.js';
import { RelaxedCheckpointWriter } from './relaxed-checkpoint-writer.js';
import { type RelayRoute, routeBatch } from './relay-route.js';
import type { AllSubscription } from './subscribe-to-all.js';
import { type Logger, type RecordedEvent, silentLogger } from './types.js';

/**
 * Events per page. Large, because behind the log each page costs the broker's acknowledgement
 * as a round trip; the page goes out in publishes of `publishChunk` messages, all queued at once.
 */
const defaultPageSize = 2_000;

/**
 * Messages per publish. A publish is never split across produce requests, and all of one key's
 * messages land in one partition: 500 keeps the largest possible record batch (one lead's
 * events) well under the broker's default 1 MB limit.
 */
const publishChunk = 500;

export interface RelayOptions {
  readonly pool: pg.Pool;
  readonly bus: Bus;
  /** Tried in order for each event; events no route accepts are not published. */
  readonly routes: readonly RelayRoute[];
  /** The relay's checkpoint name. Defaults to `relay`. */
  readonly subscriber?: string;
  readonly batchSize?: number;
  readonly pollIntervalMs?: number;
  /** See SubscribeToAllOptions.listen: false for PGlite. */
  readonly listen?: boolean;
  readonly logger?: Logger;
}

/**
 * The transactional outbox relay: tails the store's global log and publishes each event through
 * its route. Delivery is at least once: a page's checkpoint is stored only after the bus
 * acknowledged every message of it, so a crash republishes from the last stored checkpoint
 * (consumers dedupe by message id). Messages keep global order per topic and key, hence per-lead
 * order: pages go out one after another, and the bus fails every publish queued behind a failed
 * one, so a retry resends in order.
 *
 * The checkpoint is written beside the next page's publishing, not before it, and without waiting
 * for its WAL flush (RelaxedCheckpointWriter): losing it only republishes.
 * Run one relay per subscriber name: two would both publish everything.
 */
export function startRelay(options: RelayOptions): Promise<AllSubscription> {
  const { bus, routes } = options;
  const logger = options.logger ?? silentLogger;
  const subscriber = options.subscriber ?? 'relay';
  const checkpoints = new RelaxedCheckpointWriter(options.pool, subscriber, logger);
  return tailTheLog({
    pool: options.pool,
    subscriber,
    batchSize: options.batchSize ?? defaultPageSize,
    pollIntervalMs: options.pollIntervalMs,
    listen: options.listen,
    logger,
    delivery: {
      async deliver(events, checkpoint) {
        await publishBatch(bus, routes, events, logger);
        checkpoints.store(checkpoint);
        return true;
      },
      settle: () => checkpoints.flushed(),
    },
  });
}

export async function publishBatch(
  bus: Bus,
  routes: readonly RelayRoute[],
  events: readonly RecordedEvent[],
  logger?: Logger,
): Promise<void> {
  const { byTopic, unrouted } = routeBatch(events, routes);
  // Every chunk is queued before any can fail, in order, so a failure fails all that follow it.
  await Promise.all(
    [...byTopic].flatMap(([topic, messages]) => chunks(messages).map((chunk) => bus.publish(topic, chunk))),
  );
  logger?.debug(
    { published: events.length - unrouted, unrouted, topics: [...byTopic.keys()] },
    'relay published batch',
  );
}

function chunks(messages: readonly OutgoingMessage[]): OutgoingMessage[][] {
  const result: OutgoingMessage[][] = [];
  for (let start = 0; start < messages.length; start += publishChunk) {
    result.push(messages.slice(start, start + publishChunk));
  }
  return result;
}
