import type { GlobalCheckpoint, Queryable } from './types.js';

/** Where `subscriber` stands in the global log, or undefined when it has never stored a checkpoint. */
export async function readCheckpoint(
  db: Queryable,
  subscriber: string,
): Promise<GlobalCheckpoint | undefined> {
  const { rows } = await db.query<{ last_transaction_id: string; last_global_position: string }>(
    `SELECT last_transaction_id::text AS last_transaction_id, last_global_position
       FROM eventstore.subscriber_checkpoints WHERE subscriber = $1`,
    [subscriber],
  );
  const row = rows[0];
  if (row === undefined) return undefined;
  return { transactionId: BigInt(row.last_transaction_id), globalPosition: BigInt(row.last_global_position) };
}
