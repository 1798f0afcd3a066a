import type pg from 'pg';

const lastEventSql = `
SELECT transaction_id::text || '/' || global_position AS at
  FROM eventstore.messages ORDER BY transaction_id DESC, global_position DESC LIMIT 1`;

const checkpointSql = `
SELECT last_transaction_id::text || '/' || last_global_position AS at
  FROM eventstore.subscriber_checkpoints WHERE subscriber = $1`;

/**
 * Resolves once the subscriber's stored checkpoint is the store's last event (as it is now):
 * every batch up to it was handled, for the relay published and acknowledged.
 */
export async function untilSubscriberCaughtUp(
  db: pg.Pool,
  subscriber: string,
  timeoutMs = 600_000,
): Promise<void> {
  const { rows } = await db.query<{ at: string }>(lastEventSql);
  const last = rows[0]?.at;
  if (last === undefined) return;
  for (const deadline = Date.now() + timeoutMs; Date.now() < deadline; ) {
    const { rows: checkpoint } = await db.query<{ at: string }>(checkpointSql, [subscriber]);
    if (checkpoint[0]?.at === last) return;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error(`${subscriber} did not reach the last event within ${timeoutMs / 1000} s`);
}
