import type pg from 'pg';

/**
 * The baseline the history benchmarks compare with: every stored event read once, in lead order,
 * by keyset pages of `pageSize` rows of a plain SELECT, each row parsed by the driver. Returns the
 * number of events read.
 */
export async function plainRead(pool: pg.Pool, pageSize: number): Promise<number> {
  let after = ['', 0] as [string, number];
  let read = 0;
  for (;;) {
    const { rows } = await pool.query<{ stream_id: string; stream_position: string }>(
      `SELECT event_id, stream_id, stream_position, global_position, type, data, occurred_at
         FROM eventstore.messages WHERE (stream_id, stream_position) > ($1, $2)
        ORDER BY stream_id, stream_position LIMIT $3`,
      [after[0], after[1], pageSize],
    );
    if (rows.length === 0) return read;
    read += rows.length;
    const last = rows.at(-1)!;
    after = [last.stream_id, Number(last.stream_position)];
  }
}
