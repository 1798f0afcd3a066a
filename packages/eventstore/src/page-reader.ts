import { type ReadAllResult, readAll } from './read-all.js';
import type { GlobalCheckpoint, Queryable } from './types.js';

/** A read of the page after `after`, possibly still in flight. */
interface PageRead {
  readonly after: GlobalCheckpoint;
  readonly page: Promise<ReadAllResult>;
}

/**
 * Reads the global log a page at a time, optionally one page early: a reader that is behind
 * starts reading the next page while it handles the current one, so the reads cost no wall time.
 */
export class PageReader {
  private ahead: PageRead | undefined;

  constructor(
    private readonly db: Queryable,
    private readonly pageSize: number,
  ) {}

  /** The page after `after`: the one read ahead if it starts there, else read now. */
  next(after: GlobalCheckpoint): Promise<ReadAllResult> {
    const ahead = this.ahead;
    this.ahead = undefined;
    return ahead?.after === after ? ahead.page : this.read(after).page;
  }

  /** Starts reading the page after `after` now, for a later `next(after)`. */
  readAhead(after: GlobalCheckpoint): void {
    this.ahead = this.read(after);
  }

  /** Forgets a page read ahead (after a failure, or when the position moved elsewhere). */
  drop(): void {
    this.ahead = undefined;
  }

  private read(after: GlobalCheckpoint): PageRead {
    const page = readAll(this.db, { after, limit: this.pageSize });
    // Dropped read-aheads (a failed batch) must not surface as unhandled rejections.
    page.catch(() => undefined);
    return { after, page };
  }
}
