import type { Logger } from 'pino';

/** The offset after a handled batch: the next message the group reads from that partition. */
export interface PartitionOffset {
  readonly topic: string;
  readonly partition: number;
  readonly offset: string;
}

/** Sends one OffsetCommit request for the consumer's group (kafkajs `consumer.commitOffsets`). */
export type CommitOffsets = (offsets: PartitionOffset[]) => Promise<void>;

/**
 * The offsets of handled batches, committed together once `intervalMs` after the first one waiting,
 * instead of one OffsetCommit after every batch, which the consumer waited for before its next
 * fetch. At 2,000 events/s the scorer, projector and ingest consumer each committed some twenty
 * times a second, and on a saturated broker every commit held its hop up by a round trip; see
 * docs/BENCHMARKS.md. What this gives up: a member that dies, or loses a partition in a rebalance,
 * before the timer fires has its last handled batches delivered again, at most `intervalMs` worth.
 * The handlers are idempotent (the bus contract asks it), and a failed commit is never retried
 * over a newer one: a later batch of the partition commits past it.
 */
export class DeferredOffsetCommits {
  private readonly waiting = new Map<string, PartitionOffset>();
  private timer: NodeJS.Timeout | undefined;
  private inFlight: Promise<void> = Promise.resolve();

  constructor(
    private readonly commit: CommitOffsets,
    private readonly intervalMs: number,
    private readonly logger: Logger,
  ) {}

  /** Remembers the partition's next offset; the latest one recorded per partition is committed. */
  record(offset: PartitionOffset): void {
    this.waiting.set(`${offset.topic}\u0000${offset.partition}`, offset);
    this.timer ??= setTimeout(() => void this.flush(), this.intervalMs);
  }

  /**
   * Commits everything recorded so far in one request, after any commit already under way, and
   * resolves when it is done. A failure is logged, not thrown: those messages are delivered again
   * only if the partition changes hands before a later commit covers them.
   */
  flush(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    const offsets = [...this.waiting.values()];
    this.waiting.clear();
    if (offsets.length === 0) return this.inFlight;
    this.inFlight = this.inFlight.then(() =>
      this.commit(offsets).catch((error: unknown) => {
        this.logger.warn(
          { err: error, partitions: offsets.length },
          'offset commit failed; a later commit covers it',
        );
      }),
    );
    return this.inFlight;
  }
}
