import type pg from 'pg';

export interface LeadScoreRow {
  readonly leadId: string;
  readonly email: string | null;
  readonly engagement: number;
  readonly fit: number;
  readonly total: number;
  readonly grade: string;
  readonly temperature: string;
  readonly scoredAt: number;
  readonly lastGlobalPosition: string;
  readonly lastEventId: string;
  readonly rulesetVersion: number;
  readonly state: unknown;
  readonly source: string | null;
  readonly updatedAt: number;
}

export async function leadScoreRows(pool: pg.Pool): Promise<Map<string, LeadScoreRow>> {
  const { rows } = await pool.query(
    `SELECT lead_id, email, engagement, fit, total, grade, temperature, scored_at, last_global_position,
            last_event_id, ruleset_version, state, source, updated_at
       FROM lead_scores ORDER BY lead_id`,
  );
  return new Map(
    rows.map((row) => [
      row.lead_id,
      {
        leadId: row.lead_id,
        email: row.email,
        engagement: row.engagement,
        fit: row.fit,
        total: row.total,
        grade: row.grade,
        temperature: row.temperature,
        scoredAt: row.scored_at.getTime(),
        lastGlobalPosition: row.last_global_position,
        lastEventId: row.last_event_id,
        rulesetVersion: row.ruleset_version,
        state: row.state,
        source: row.source,
        updatedAt: row.updated_at.getTime(),
      },
    ]),
  );
}

/** Leads whose record has applied their stream's last activity event, and leads with events. */
export async function scoringProgress(pool: pg.Pool): Promise<{ caughtUp: number; leads: number }> {
  const { rows } = await pool.query<{ caught_up: string; leads: string }>(
    `SELECT count(*) FILTER (WHERE s.last_global_position = m.last) AS caught_up, count(*) AS leads
       FROM (SELECT substr(stream_id, 6) AS lead_id, max(global_position) AS last
               FROM eventstore.messages WHERE stream_id LIKE 'lead-%' GROUP BY stream_id) AS m
       LEFT JOIN lead_scores AS s USING (lead_id)`,
  );
  return { caughtUp: Number(rows[0]!.caught_up), leads: Number(rows[0]!.leads) };
}

export async function outboxSize(pool: pg.Pool): Promise<number> {
  const { rows } = await pool.query<{ n: string }>(
    'SELECT (SELECT count(*) FROM scoring_outbox) + (SELECT count(*) FROM rescoring_outbox) AS n',
  );
  return Number(rows[0]!.n);
}
