import type { Queryable } from '@leadscore/eventstore';

export interface FunnelPeriod {
  /** Inclusive, epoch ms. */
  readonly from: number;
  /** Exclusive, epoch ms. */
  readonly to: number;
  readonly bySource: boolean;
}

export interface StageCountRow {
  source: string | null;
  stage: string;
  leads: number;
}

export interface StageDurationRow {
  source: string | null;
  stage: string;
  median_seconds: number;
}

// A lead enters the funnel (stage `lead`) when the first event of its stream occurred, and a
// later stage when its LeadStageChanged says so; both by occurrence time, so backfilled history
// lands in the period it happened in. Source is the lead's first-touch utm source.
const entriesSql = `
WITH entries AS (
  SELECT substr(m.stream_id, 6) AS lead_id, 'lead'::text AS stage
    FROM eventstore.messages AS m
   WHERE m.stream_position = 1 AND m.stream_id LIKE 'lead-%'
     AND m.occurred_at >= $1 AND m.occurred_at < $2
  UNION
  SELECT lead_id, to_stage
    FROM lead_stage_history
   WHERE to_stage IN ('mql', 'sql', 'prospect') AND changed_at >= $1 AND changed_at < $2
)
SELECT CASE WHEN $3 THEN l.source END AS source, e.stage, count(*)::int AS leads
  FROM entries AS e LEFT JOIN lead_scores AS l ON l.lead_id = e.lead_id
 GROUP BY 1, 2`;

// Time in a stage, for the stays that ended within the period: from the lead's previous change
// (or its first event, for the entry stage) to the change that moved it on. A late event can
// move a lead at an instant before its previous change; such a stay counts as zero.
const durationsSql = `
WITH stays AS (
  SELECT h.lead_id, h.from_stage AS stage,
         greatest(0, extract(epoch FROM h.changed_at - coalesce(
           (SELECT p.changed_at FROM lead_stage_history AS p
             WHERE p.lead_id = h.lead_id AND p.stream_position < h.stream_position
             ORDER BY p.stream_position DESC LIMIT 1),
           (SELECT m.occurred_at FROM eventstore.messages AS m
             WHERE m.stream_id = 'lead-' || h.lead_id AND m.stream_position = 1)))) AS seconds
    FROM lead_stage_history AS h
   WHERE h.from_stage IN ('lead', 'mql', 'sql') AND h.changed_at >= $1 AND h.changed_at < $2
)
SELECT CASE WHEN $3 THEN l.source END AS source, s.stage,
       percentile_cont(0.5) WITHIN GROUP (ORDER BY s.seconds)::float8 AS median_seconds
  FROM stays AS s LEFT JOIN lead_scores AS l ON l.lead_id = s.lead_id
 WHERE s.seconds IS NOT NULL
 GROUP BY 1, 2`;

export async function readFunnel(db: Queryable, period: FunnelPeriod) {
  const params = [new Date(period.from), new Date(period.to), period.bySource];
  const [entries, durations] = await Promise.all([
    db.query<StageCountRow>(entriesSql, params),
    db.query<StageDurationRow>(durationsSql, params),
  ]);
  return { entries: entries.rows, durations: durations.rows };
}
