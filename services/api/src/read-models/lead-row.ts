import { catalogVersionSql } from '@leadscore/rulesets';

/**
 * A lead as the read models hold it: lead_scores joined with its lead_stages row, if any, and the
 * ruleset catalog's version read in the same statement.
 */
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
  first_touch: Record<string, unknown> | null;
  last_touch: Record<string, unknown> | null;
  /** null when the projector has not decided on the lead yet: it is still a `lead`. */
  stage: string | null;
  stage_since: Date | null;
  /**
   * The rulesets stream's version as of the statement (bigint, as text): the active ruleset comes
   * from the API's cached catalog while it is that version, so a read needs no version probe of
   * its own. The same in every row of one statement.
   */
  ruleset_catalog_version: string;
}

/** The catalog version a row was read with, for ApiContext.rulesetAsOf. */
export const catalogVersionOf = (row: LeadRow): number => Number(row.ruleset_catalog_version);

export const leadColumns = `
  l.lead_id, l.email, l.engagement, l.fit, l.total, l.grade, l.temperature, l.two_way_at, l.scored_at,
  l.state, l.last_event_id, l.ruleset_id, l.ruleset_version, l.first_touch,
  l.last_touch, st.stage, st.since AS stage_since, ${catalogVersionSql} AS ruleset_catalog_version`;

export const leadFrom = `lead_scores AS l LEFT JOIN lead_stages AS st ON st.lead_id = l.lead_id`;
