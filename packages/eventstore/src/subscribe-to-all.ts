import type pg from 'pg';
import { eventsHeldBack, type ReadAllResult, readAll } from './read-all.js';
import { readCheckpoint } from './read-checkpoint.js';
import { storeCheckpoint } from './store-checkpoint.js';
import { atomically } from './transaction.js';
import { type GlobalCheckpoint, type Logger, type RecordedEvent, silentLogger, startOfLog } from './types.js';
import { Wakeup } from './wakeup.js';

/** The channel the messages table's trigger notifies on each committed append. */
export const appendedChannel = 'eventstore_appended';

/**
 * Waits between looks while committed events are held back behind the read horizon, doubling
 * from `first` up to `max`. No notification tells when the blocking transaction (of any
 * database on the server) ends, so the reader polls; the cap bounds both the delay after it
 * ends and the polling during a long one.
 */
const heldBackPollMs = { first: 50, max: 1_000 } as const;

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
  /** Where the subscriber stands (the last checkpoint it stored). */
  position(): GlobalCheckpoint;
  /** Finishes the batch in hand, stops, and gives back the LISTEN connection. */
  stop(): Promise<void>;
}

/**
 * Tails the global log from the subscriber's stored checkpoint, hands each batch to `handle`,
 * and stores the checkpoint after it, in the same transaction. Gap-safe (see readAll) and
 * at least once: after a crash the last unacknowledged batch is handled again.
 */
export async function subscribeToAll(options: SubscribeToAllOptions): Promise<AllSubscription> {
  const subscription = new AllLogTail(options);
  await subscription.start();
  return subscription;
}

/** A read of the page after `after`, possibly still in flight. */
interface PageRead {
  readonly after: GlobalCheckpoint;
  readonly page: Promise<ReadAllResult>;
}

class AllLogTail implements AllSubscription {
  private readonly wakeup = new Wakeup();
  private readonly logger: Logger;
  private readonly batchSize: number;
  private readonly pollIntervalMs: number;
  private readonly retry: { readonly minMs: number; readonly maxMs: number };
  private checkpoint: GlobalCheckpoint = startOfLog;
  private listener: pg.PoolClient | undefined;
  private stopping = false;
  private heldBackPolls = 0;
  private loop: Promise<void> = Promise.resolve();
  private readAhead: PageRead | undefined;

  constructor(private readonly options: SubscribeToAllOptions) {
    this.logger = options.logger ?? silentLogger;
    this.batchSize = options.batchSize ?? 500;
    this.pollIntervalMs = options.pollIntervalMs ?? 1_000;
    this.retry = options.retry ?? { minMs: 100, maxMs: 10_000 };
  }

  async start(): Promise<void> {
    this.checkpoint = (await readCheckpoint(this.options.pool, this.options.subscriber)) ?? startOfLog;
    if (this.options.listen ?? true) await this.listen();
    this.loop = this.run();
  }

  position(): GlobalCheckpoint {
    return this.checkpoint;
  }

  async stop(): Promise<void> {
    this.stopping = true;
    this.wakeup.poke();
    await this.loop;
    await this.unlisten();
  }

  private async run(): Promise<void> {
    let failures = 0;
    while (!this.stopping) {
      try {
        const handled = await this.handleNextBatch();
        failures = 0;
        if (handled < this.batchSize) await this.idle();
      } catch (error) {
        this.readAhead = undefined;
        failures += 1;
        const delayMs = Math.min(this.retry.maxMs, this.retry.minMs * 2 ** (failures - 1));
        this.logger.error(
          { err: error, subscriber: this.options.subscriber, failures, delayMs },
          'subscription batch failed; retrying the same batch',
        );
        await this.wakeup.sleep(delayMs);
      }
    }
  }

  /** Returns how many events were handled. */
  private async handleNextBatch(): Promise<number> {
    const { pool, subscriber, handle } = this.options;
    const { events, checkpoint } = await this.nextPage();
    if (events.length === 0) return 0;
    // A full page means the subscriber is behind: read the next page while this one is handled
    // (for the relay, while the broker acknowledges it), so the reads cost no wall time. Only
    // the read is early; the next page is handled after this one's checkpoint is stored.
    if (events.length === this.batchSize) this.readAhead = this.startRead(checkpoint);
    const stored = await atomically(pool, 'subscription', async (tx) => {
      await handle(events, tx);
      return storeCheckpoint(tx, subscriber, checkpoint);
    });
    if (stored) {
      this.checkpoint = checkpoint;
    } else {
      // Another instance of this subscriber moved the checkpoint past us: continue from there.
      this.logger.warn({ subscriber }, 'checkpoint moved by another instance of this subscriber');
      this.readAhead = undefined;
      this.checkpoint = (await readCheckpoint(pool, subscriber)) ?? checkpoint;
    }
    return events.length;
  }

  /** The page after the checkpoint: read ahead during the last batch, or read now. */
  private nextPage(): Promise<ReadAllResult> {
    const ahead = this.readAhead;
    this.readAhead = undefined;
    return ahead?.after === this.checkpoint ? ahead.page : this.startRead(this.checkpoint).page;
  }

  private startRead(after: GlobalCheckpoint): PageRead {
    const page = readAll(this.options.pool, { after, limit: this.batchSize });
    // Dropped read-aheads (a failed batch) must not surface as unhandled rejections.
    page.catch(() => undefined);
    return { after, page };
  }

  private async idle(): Promise<void> {
    if ((this.options.listen ?? true) && this.listener === undefined) await this.listen();
    // Poked already (appends committed during the batch): look again at once, without first
    // asking whether events are held back; at the live tail that saves a query per batch.
    await this.wakeup.sleep(this.wakeup.pending() ? 0 : await this.idleMs());
  }

  /**
   * The poll interval, unless events are committed but held back behind the read horizon: the
   * notification for them has been used up by a read that could not return them yet, and
   * sleeping a whole poll interval would delay them long after the horizon moved on.
   */
  private async idleMs(): Promise<number> {
    if (!(await eventsHeldBack(this.options.pool, this.checkpoint))) {
      this.heldBackPolls = 0;
      return this.pollIntervalMs;
    }
    const backoffMs = heldBackPollMs.first * 2 ** this.heldBackPolls;
    this.heldBackPolls += 1;
    return Math.min(this.pollIntervalMs, heldBackPollMs.max, backoffMs);
  }

  private async listen(): Promise<void> {
    let client: pg.PoolClient | undefined;
    try {
      client = await this.options.pool.connect();
      const listening = client;
      listening.on('notification', () => this.wakeup.poke());
      listening.on('error', (error) => this.dropListener(listening, error));
      await listening.query(`LISTEN ${appendedChannel}`);
      this.listener = listening;
    } catch (error) {
      client?.release(error as Error);
      // Polling still finds everything; the next idle period tries again.
      this.logger.warn({ err: error, subscriber: this.options.subscriber }, 'LISTEN failed; polling only');
    }
  }

  private dropListener(client: pg.PoolClient, error: Error): void {
    if (this.listener !== client) return;
    this.listener = undefined;
    this.logger.warn({ err: error, subscriber: this.options.subscriber }, 'LISTEN connection lost; polling');
    client.release(error);
  }

  private async unlisten(): Promise<void> {
    const client = this.listener;
    if (client === undefined) return;
    this.listener = undefined;
    try {
      await client.query(`UNLISTEN ${appendedChannel}`);
      client.release();
    } catch (error) {
      client.release(error as Error);
    }
  }
}
