import type { GlobalCheckpoint, Queryable } from './types.js';

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
): Promise<boolean> {
  const { rowCount } = await db.query(
    `INSERT INTO eventstore.subscriber_checkpoints AS stored (subscriber, last_transaction_id, last_global_position)
     VALUES ($1, $2::xid8, $3)
     ON CONFLICT (subscriber) DO UPDATE
        SET last_transaction_id = excluded.last_transaction_id,
            last_global_position = excluded.last_global_position,
            updated_at = now()
      WHERE (stored.last_transaction_id, stored.last_global_position)
          < (excluded.last_transaction_id, excluded.last_global_position)`,
    [subscriber, checkpoint.transactionId.toString(), checkpoint.globalPosition.toString()],
  );
  return rowCount === 1;
}
