import { eventsHeldBack } from './read-all.js';
import type { GlobalCheckpoint, Queryable } from './types.js';
import type { Wakeup } from './wakeup.js';

/**
 * Waits between looks while committed events are held back behind the read horizon, doubling
 * from `first` up to `max`. No notification tells when the blocking transaction (of any
 * database on the server) ends, so the reader polls; the cap bounds both the delay after it
 * ends and the polling during a long one.
 */
const heldBackPollMs = { first: 50, max: 1_000 } as const;

/** How a reader of the global log that has caught up waits for more. */
export class TailPause {
  private heldBackPolls = 0;

  constructor(
    private readonly db: Queryable,
    private readonly wakeup: Wakeup,
    private readonly pollIntervalMs: number,
  ) {}

  /**
   * Sleeps until poked or the poll interval passes. Poked already (appends committed during
   * the last batch): looks again at once, without first asking whether events are held back; at
   * the live tail that saves a query per batch.
   */
  async sleep(after: GlobalCheckpoint): Promise<void> {
    await this.wakeup.sleep(this.wakeup.pending() ? 0 : await this.idleMs(after));
  }

  /**
   * The poll interval, unless events are committed but held back behind the read horizon: the
   * notification for them has been used up by a read that could not return them yet, and
   * sleeping a whole poll interval would delay them long after the horizon moved on.
   */
  private async idleMs(after: GlobalCheckpoint): Promise<number> {
    if (!(await eventsHeldBack(this.db, after))) {
      this.heldBackPolls = 0;
      return this.pollIntervalMs;
    }
    const backoffMs = heldBackPollMs.first * 2 ** this.heldBackPolls;
    this.heldBackPolls += 1;
    return Math.min(this.pollIntervalMs, heldBackPollMs.max, backoffMs);
  }
}
