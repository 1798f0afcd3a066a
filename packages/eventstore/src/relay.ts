import type { Bus } from '@leadscore/kafka';
import type pg from 'pg';
import { type RelayRoute, routeBatch } from './relay-route.js';
import { type AllSubscription, subscribeToAll } from './subscribe-to-all.js';
import type { Logger, RecordedEvent } from './types.js';

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
 * its route. A batch's checkpoint is stored only after the bus acknowledged every message of
 * it, so delivery is at least once (a crash republishes the last batch; consumers dedupe by
 * message id). Messages keep global order per topic and key, hence per-lead order.
 * Run one relay per subscriber name: two would both publish everything.
 */
export function startRelay(options: RelayOptions): Promise<AllSubscription> {
  const { bus, routes, logger } = options;
  return subscribeToAll({
    pool: options.pool,
    subscriber: options.subscriber ?? 'relay',
    batchSize: options.batchSize ?? 500,
    pollIntervalMs: options.pollIntervalMs,
    listen: options.listen,
    logger,
    handle: (events) => publishBatch(bus, routes, events, logger),
  });
}

export async function publishBatch(
  bus: Bus,
  routes: readonly RelayRoute[],
  events: readonly RecordedEvent[],
  logger?: Logger,
): Promise<void> {
  const { byTopic, unrouted } = routeBatch(events, routes);
  // Topics are independent, so they go out in parallel; order matters only within a topic.
  await Promise.all([...byTopic].map(([topic, messages]) => bus.publish(topic, messages)));
  logger?.debug(
    { published: events.length - unrouted, unrouted, topics: [...byTopic.keys()] },
    'relay published batch',
  );
}
