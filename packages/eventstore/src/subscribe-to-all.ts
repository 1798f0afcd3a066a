import type pg from 'pg';
import { tailTheLog } from './log-tail.js';
import { storeCheckpoint } from './store-checkpoint.js';
import { atomically } from './transaction.js';
import type { GlobalCheckpoint, Logger, RecordedEvent } from './types.js';

export interface SubscribeToAllOptions {
  readonly pool: pg.Pool;
  /** The checkpoint's name: one per logical subscriber (e.g. `relay`, `scoring`). */
  readonly subscriber: string;
  /**
   * Handles one batch, in global order. `tx` is the transaction the checkpoint is stored in:
   * write through it to commit your effects and the checkpoint together. When it throws, the
   * transaction rolls back and the same batch comes again after a backoff (at least once).
   */
  readonly handle: (events: readonly RecordedEvent[], tx: pg.ClientBase) => Promise<void>;
  readonly batchSize?: number;
  /** How often to look for new events when no notification came. Defaults to 1,000 ms. */
  readonly pollIntervalMs?: number;
  /**
   * Hold one pooled connection to LISTEN for appends and react at once. Defaults to true. Turn
   * it off where LISTEN does not work (PGlite behind pglite-socket, a pool of one connection):
   * polling alone then finds every event, only later.
   */
  readonly listen?: boolean;
  /** Backoff after a failure doubles from `minMs` up to `maxMs`. */
  readonly retry?: { readonly minMs: number; readonly maxMs: number };
  readonly logger?: Logger;
}

export interface AllSubscription {
  /** Where the subscriber stands: every event up to here is handled (for the relay: acknowledged by the bus; its stored checkpoint may trail by one write). */
  position(): GlobalCheckpoint;
  /** Finishes the batch in hand, stops, and gives back the LISTEN connection. */
  stop(): Promise<void>;
}

/**
 * Tails the global log from the subscriber's stored checkpoint, hands each batch to `handle`,
 * and stores the checkpoint after it, in the same transaction. Gap-safe (see readAll) and
 * at least once: after a crash the last unacknowledged batch is handled again.
 */
export function subscribeToAll(options: SubscribeToAllOptions): Promise<AllSubscription> {
  const { handle, ...tail } = options;
  return tailTheLog({
    ...tail,
    delivery: {
      deliver: (events, checkpoint) =>
        atomically(options.pool, 'subscription', async (tx) => {
          await handle(events, tx);
          return storeCheckpoint(tx, options.subscriber, checkpoint);
        }),
    },
  });
}
