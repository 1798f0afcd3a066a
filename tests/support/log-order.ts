import type pg from 'pg';

/**
 * Streams whose events the global log holds out of stream order, read as the relay reads it (by
 * transaction id, then global position): a reader tailing the log would publish them out of order.
 */
export async function streamsOutOfLogOrder(db: pg.Pool): Promise<string[]> {
  const { rows } = await db.query<{ stream_id: string }>(
    `SELECT DISTINCT stream_id
       FROM (SELECT stream_id, stream_position,
                    lag(stream_position) OVER (PARTITION BY stream_id ORDER BY transaction_id, global_position) AS before
               FROM eventstore.messages) AS log
      WHERE stream_position < before
      ORDER BY stream_id`,
  );
  return rows.map((row) => row.stream_id);
}
