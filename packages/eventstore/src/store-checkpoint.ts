import type { GlobalCheckpoint, Queryable } from './types.js';

export interface StoreCheckpointOptions {
  /**
   * Commit without waiting for the WAL flush (synchronous_commit off for this transaction). Only
   * for a statement that commits on its own and whose loss after a server crash is harmless.
   */
  readonly relaxed?: boolean;
}

// The relaxed form turns synchronous commit off for its own (single-statement) transaction:
// the setting is read at commit, so it governs this commit and nothing after it.
const storeSql = (relaxed: boolean) => `
INSERT INTO eventstore.subscriber_checkpoints AS stored (subscriber, last_transaction_id, last_global_position)
SELECT $1::text, $2::xid8, $3::bigint
${relaxed ? `  FROM (SELECT set_config('synchronous_commit', 'off', true)) AS relaxed` : ''}
    ON CONFLICT (subscriber) DO UPDATE
   SET last_transaction_id = excluded.last_transaction_id,
       last_global_position = excluded.last_global_position,
       updated_at = now()
 WHERE (stored.last_transaction_id, stored.last_global_position)
     < (excluded.last_transaction_id, excluded.last_global_position)`;

const strictSql = storeSql(false);
const relaxedSql = storeSql(true);

/**
 * Records that `subscriber` has handled everything up to `checkpoint`. Pass the client of the
 * transaction holding the subscriber's own writes, so both commit or neither does (exactly-once
 * effects). Checkpoints only move forward: returns false, storing nothing, when the stored one
 * is already at or past `checkpoint` (another instance of the subscriber got there first).
 */
export async function storeCheckpoint(
  db: Queryable,
  subscriber: string,
  checkpoint: GlobalCheckpoint,
  options: StoreCheckpointOptions = {},
): Promise<boolean> {
  const { rowCount } = await db.query(options.relaxed ? relaxedSql : strictSql, [
    subscriber,
    checkpoint.transactionId.toString(),
    checkpoint.globalPosition.toString(),
  ]);
  return rowCount === 1;
}
