import { AppendListener } from './append-listener.js';
import { PageReader } from './page-reader.js';
import { readCheckpoint } from './read-checkpoint.js';
import type { AllSubscription, SubscribeToAllOptions } from './subscribe-to-all.js';
import { TailPause } from './tail-pause.js';
import { type GlobalCheckpoint, type Logger, type RecordedEvent, silentLogger, startOfLog } from './types.js';
import { Wakeup } from './wakeup.js';

/** What a tail does with each page: its effects, and where its checkpoint goes. */
export interface PageDelivery {
  /**
   * Handles `events` (in global order) and records `checkpoint` after them. Returns false when
   * another instance of the subscriber already stored a checkpoint past this one. When it
   * throws, the same page comes again after a backoff (at least once).
   */
  deliver(events: readonly RecordedEvent[], checkpoint: GlobalCheckpoint): Promise<boolean>;
  /** Called once the tail has stopped: finish whatever delivery still holds. */
  settle?(): Promise<void>;
}

export type LogTailOptions = Omit<SubscribeToAllOptions, 'handle'> & { readonly delivery: PageDelivery };

/**
 * Follows the global log from the subscriber's stored checkpoint, a page at a time, and hands
 * each page to its delivery; at the tail it waits for a notification or the poll interval.
 */
export async function tailTheLog(options: LogTailOptions): Promise<AllSubscription> {
  const tail = new LogTail(options);
  await tail.start();
  return tail;
}

class LogTail implements AllSubscription {
  private readonly wakeup = new Wakeup();
  private readonly logger: Logger;
  private readonly batchSize: number;
  private readonly retry: { readonly minMs: number; readonly maxMs: number };
  private readonly listener: AppendListener | undefined;
  private readonly pages: PageReader;
  private readonly pause: TailPause;
  private checkpoint: GlobalCheckpoint = startOfLog;
  private stopping = false;
  private loop: Promise<void> = Promise.resolve();

  constructor(private readonly options: LogTailOptions) {
    this.logger = options.logger ?? silentLogger;
    this.batchSize = options.batchSize ?? 500;
    this.retry = options.retry ?? { minMs: 100, maxMs: 10_000 };
    this.pages = new PageReader(options.pool, this.batchSize);
    this.pause = new TailPause(options.pool, this.wakeup, options.pollIntervalMs ?? 1_000);
    this.listener =
      (options.listen ?? true)
        ? new AppendListener(options.pool, this.wakeup, this.logger, options.subscriber)
        : undefined;
  }

  async start(): Promise<void> {
    this.checkpoint = (await readCheckpoint(this.options.pool, this.options.subscriber)) ?? startOfLog;
    await this.listener?.ensure();
    this.loop = this.run();
  }

  position(): GlobalCheckpoint {
    return this.checkpoint;
  }

  async stop(): Promise<void> {
    this.stopping = true;
    this.wakeup.poke();
    await this.loop;
    await this.options.delivery.settle?.();
    await this.listener?.close();
  }

  private async run(): Promise<void> {
    let failures = 0;
    while (!this.stopping) {
      try {
        const handled = await this.handleNextBatch();
        failures = 0;
        if (handled < this.batchSize) await this.idle();
      } catch (error) {
        this.pages.drop();
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
    const { pool, subscriber, delivery } = this.options;
    const { events, checkpoint } = await this.pages.next(this.checkpoint);
    if (events.length === 0) return 0;
    // A full page means the subscriber is behind: read the next page while this one is handled
    // (for the relay, while the broker acknowledges it), so the reads cost no wall time. Only
    // the read is early; the next page is handled after this one is delivered.
    if (events.length === this.batchSize) this.pages.readAhead(checkpoint);
    if (await delivery.deliver(events, checkpoint)) {
      this.checkpoint = checkpoint;
    } else {
      // Another instance of this subscriber moved the checkpoint past us: continue from there.
      this.logger.warn({ subscriber }, 'checkpoint moved by another instance of this subscriber');
      this.pages.drop();
      this.checkpoint = (await readCheckpoint(pool, subscriber)) ?? checkpoint;
    }
    return events.length;
  }

  private async idle(): Promise<void> {
    await this.listener?.ensure();
    await this.pause.sleep(this.checkpoint);
  }
}
