import type pg from 'pg';
import type { Logger } from './types.js';
import type { Wakeup } from './wakeup.js';

/** The channel the messages table's trigger notifies on each committed append. */
export const appendedChannel = 'eventstore_appended';

/**
 * One pooled connection LISTENing for committed appends, poking `wakeup` on each, so a tailing
 * reader reacts at once instead of at its next poll. When the connection is lost it is given back
 * and polling alone carries on until `ensure()` listens again.
 */
export class AppendListener {
  private client: pg.PoolClient | undefined;

  constructor(
    private readonly pool: pg.Pool,
    private readonly wakeup: Wakeup,
    private readonly logger: Logger,
    private readonly subscriber: string,
  ) {}

  /** Listens unless already listening; a failure is logged, never thrown (polling still works). */
  async ensure(): Promise<void> {
    if (this.client !== undefined) return;
    let client: pg.PoolClient | undefined;
    try {
      client = await this.pool.connect();
      const listening = client;
      listening.on('notification', () => this.wakeup.poke());
      listening.on('error', (error) => this.drop(listening, error));
      await listening.query(`LISTEN ${appendedChannel}`);
      this.client = listening;
    } catch (error) {
      client?.release(error as Error);
      this.logger.warn({ err: error, subscriber: this.subscriber }, 'LISTEN failed; polling only');
    }
  }

  /** Stops listening and gives the connection back. */
  async close(): Promise<void> {
    const client = this.client;
    if (client === undefined) return;
    this.client = undefined;
    try {
      await client.query(`UNLISTEN ${appendedChannel}`);
      client.release();
    } catch (error) {
      client.release(error as Error);
    }
  }

  private drop(client: pg.PoolClient, error: Error): void {
    if (this.client !== client) return;
    this.client = undefined;
    this.logger.warn({ err: error, subscriber: this.subscriber }, 'LISTEN connection lost; polling');
    client.release(error);
  }
}
