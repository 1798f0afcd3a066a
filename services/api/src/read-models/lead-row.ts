/** A lead as the read models hold it: lead_scores joined with its lead_stages row, if any. */
export interface LeadRow {
  lead_id: string;
  email: string | null;
  engagement: number;
  fit: number;
  total: number;
  grade: string;
  temperature: string;
  two_way_at: Date | null;
  scored_at: Date;
  state: unknown;
  last_event_id: string;
  ruleset_id: string;
  ruleset_version: number;
  next_crossing_at: Date | null;
  first_touch: Record<string, unknown> | null;
  last_touch: Record<string, unknown> | null;
  /** null when the projector has not decided on the lead yet: it is still a `lead`. */
  stage: string | null;
  stage_since: Date | null;
}

export const leadColumns = `
  l.lead_id, l.email, l.engagement, l.fit, l.total, l.grade, l.temperature, l.two_way_at, l.scored_at,
  l.state, l.last_event_id, l.ruleset_id, l.ruleset_version, l.next_crossing_at, l.first_touch,
  l.last_touch, st.stage, st.since AS stage_since`;

export const leadFrom = `lead_scores AS l LEFT JOIN lead_stages AS st ON st.lead_id = l.lead_id`;
