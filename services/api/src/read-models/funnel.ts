import type { Queryable } from '@leadscore/eventstore';

export interface FunnelPeriod {
  /** Inclusive, epoch ms. */
  readonly from: number;
  /** Exclusive, epoch ms. */
  readonly to: number;
  readonly bySource: boolean;
}

/** The leads of a source that reached a stage in the period, and how many of them went past it. */
export interface StageCohortRow {
  source: string | null;
  stage: string;
  leads: number;
  /** Of `leads`, those a later change (at or after their reach in the period) took past the stage. */
  converted: number;
}

export interface StageDurationRow {
  source: string | null;
  stage: string;
  median_seconds: number;
}

/**
 * A stage's rank in the funnel, as SQL: mql 1, sql 2, prospect 3; the entry stage `lead` and the
 * side stages (recycled, disqualified) 0, so that leaving them for mql is reaching mql again.
 */
const rankOf = (stage: string) => `coalesce(array_position('{mql,sql,prospect}'::text[], ${stage}), 0)`;

// A lead enters the funnel (stage `lead`) when the earliest of its events occurred, however late
// that event arrived, so backfilled history lands in the period it happened in. It reaches a later
// stage when a change takes it from below that stage to it or past it: mql -> prospect (a two-way
// signal at mql) reaches sql and prospect at once, as a lead that got further has passed the stages
// before. Each lead counts once per stage and period; from_position is its first reach in the period.
// It converted when a change at or after that reach took it past the stage, at any time since:
// stream order, not change time, as a late event's change can be stamped before an earlier one.
// Source is the lead's first-touch utm source.
const cohortsSql = `
WITH reached AS (
  SELECT substr(s.stream_id, 6) AS lead_id, 'lead'::text AS stage, 0::bigint AS from_position
    FROM eventstore.streams AS s
   WHERE s.first_occurred_at >= $1 AND s.first_occurred_at < $2 AND s.stream_id LIKE 'lead-%'
  UNION ALL
  SELECT h.lead_id, stage.name, min(h.stream_position)
    FROM lead_stage_history AS h,
         unnest('{mql,sql,prospect}'::text[]) WITH ORDINALITY AS stage (name, rank)
   WHERE h.changed_at >= $1 AND h.changed_at < $2
     AND ${rankOf('h.from_stage')} < stage.rank AND stage.rank <= ${rankOf('h.to_stage')}
   GROUP BY h.lead_id, stage.name
)
SELECT CASE WHEN $3 THEN l.source END AS source, r.stage, count(*)::int AS leads,
       (count(*) FILTER (WHERE EXISTS (
          SELECT 1 FROM lead_stage_history AS n
           WHERE n.lead_id = r.lead_id AND n.stream_position >= r.from_position
             AND ${rankOf('n.to_stage')} > ${rankOf('r.stage')})))::int AS converted
  FROM reached AS r LEFT JOIN lead_scores AS l ON l.lead_id = r.lead_id
 GROUP BY 1, 2`;

// Time in a stage, for the stays that ended within the period: from the lead's previous change
// (or its earliest event, for the entry stage) to the change that moved it on. A stage a lead
// skipped was no stay: in one change (mql -> prospect), or in two at one instant (lead -> mql and
// mql -> sql, decided on one score). So is a stay that ends when (or, by an event dated before it,
// before) it began.
const durationsSql = `
WITH stays AS (
  SELECT h.lead_id, h.from_stage AS stage,
         extract(epoch FROM h.changed_at - coalesce(
           (SELECT p.changed_at FROM lead_stage_history AS p
             WHERE p.lead_id = h.lead_id AND p.stream_position < h.stream_position
             ORDER BY p.stream_position DESC LIMIT 1),
           (SELECT s.first_occurred_at FROM eventstore.streams AS s
             WHERE s.stream_id = 'lead-' || h.lead_id))) AS seconds
    FROM lead_stage_history AS h
   WHERE h.from_stage IN ('lead', 'mql', 'sql') AND h.changed_at >= $1 AND h.changed_at < $2
)
SELECT CASE WHEN $3 THEN l.source END AS source, s.stage,
       percentile_cont(0.5) WITHIN GROUP (ORDER BY s.seconds)::float8 AS median_seconds
  FROM stays AS s LEFT JOIN lead_scores AS l ON l.lead_id = s.lead_id
 WHERE s.seconds > 0
 GROUP BY 1, 2`;

export async function readFunnel(db: Queryable, period: FunnelPeriod) {
  const params = [new Date(period.from), new Date(period.to), period.bySource];
  const [cohorts, durations] = await Promise.all([
    db.query<StageCohortRow>(cohortsSql, params),
    db.query<StageDurationRow>(durationsSql, params),
  ]);
  return { cohorts: cohorts.rows, durations: durations.rows };
}
