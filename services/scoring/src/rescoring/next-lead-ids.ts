import type pg from 'pg';

/** The next leads after the checkpoint, in lead id order (primary key range scan). */
export async function nextLeadIds(
  client: pg.ClientBase,
  after: string | null,
  limit: number,
): Promise<string[]> {
  const { rows } = await client.query<{ lead_id: string }>(
    `SELECT lead_id FROM lead_scores WHERE ($1::text IS NULL OR lead_id > $1) ORDER BY lead_id LIMIT $2`,
    [after, limit],
  );
  return rows.map((row) => row.lead_id);
}
