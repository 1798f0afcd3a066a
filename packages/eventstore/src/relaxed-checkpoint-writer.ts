import { storeCheckpoint } from './store-checkpoint.js';
import type { GlobalCheckpoint, Logger, Queryable } from './types.js';

/**
 * Stores a publisher's checkpoint off its critical path: `store` returns at once, one write is
 * in flight at a time, and checkpoints that arrive meanwhile are folded into the latest.
 *
 * For a subscriber whose effects live outside the database (the relay: Kafka), a checkpoint
 * that is lost or late only means republishing from an earlier one, which at-least-once
 * delivery allows. So the write neither holds up the next batch nor waits for its WAL flush
 * (synchronous_commit off for that one transaction): after a crash of PostgreSQL the stored
 * checkpoint may be a little older than the last one written, never newer than what was
 * acknowledged.
 */
export class RelaxedCheckpointWriter {
  private latest: GlobalCheckpoint | undefined;
  private writing: Promise<void> | undefined;

  constructor(
    private readonly db: Queryable,
    private readonly subscriber: string,
    private readonly logger: Logger,
  ) {}

  /** Records that everything up to `checkpoint` is done; written soon, in order. */
  store(checkpoint: GlobalCheckpoint): void {
    this.latest = checkpoint;
    this.writing ??= this.drain();
  }

  /** Resolves once every checkpoint handed to `store` so far has been written (or failed). */
  async flushed(): Promise<void> {
    while (this.writing) await this.writing;
  }

  private async drain(): Promise<void> {
    try {
      for (let next = this.latest; next !== undefined; next = this.latest) {
        this.latest = undefined;
        await this.write(next);
      }
    } finally {
      this.writing = undefined;
    }
  }

  private async write(checkpoint: GlobalCheckpoint): Promise<void> {
    try {
      const moved = await storeCheckpoint(this.db, this.subscriber, checkpoint, { relaxed: true });
      if (!moved) {
        this.logger.warn(
          { subscriber: this.subscriber },
          'checkpoint already past this one: two instances relay?',
        );
      }
    } catch (error) {
      // The next batch's checkpoint writes past this one; until then a restart republishes more.
      this.logger.warn({ err: error, subscriber: this.subscriber }, 'could not store the checkpoint');
    }
  }
}
