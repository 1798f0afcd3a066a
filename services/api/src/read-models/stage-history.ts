import type { Queryable } from '@leadscore/eventstore';

export interface StageChangeRow {
  event_id: string;
  stream_position: string;
  from_stage: string;
  to_stage: string;
  changed_at: Date;
  reason: string;
  triggering_event_id: string | null;
  actor: string | null;
  note: string | null;
  total: number;
  grade: string;
  temperature: string;
  ruleset_id: string;
  ruleset_version: number;
}

export interface CurrentStageRow {
  stage: string;
  since: Date | null;
}

const historySql = `
SELECT event_id, stream_position, from_stage, to_stage, changed_at, reason, triggering_event_id, actor,
       note, total, grade, temperature, ruleset_id, ruleset_version
  FROM lead_stage_history
 WHERE lead_id = $1
 ORDER BY stream_position`;

const currentSql = `SELECT stage, since FROM lead_stages WHERE lead_id = $1`;

/** A lead's stage changes in the order they happened (stream order). */
export async function readStageHistory(db: Queryable, leadId: string): Promise<StageChangeRow[]> {
  const { rows } = await db.query<StageChangeRow>(historySql, [leadId]);
  return rows;
}

/** The projector's current stage of a lead, or undefined before it decided anything. */
export async function readCurrentStage(db: Queryable, leadId: string): Promise<CurrentStageRow | undefined> {
  const { rows } = await db.query<CurrentStageRow>(currentSql, [leadId]);
  return rows[0];
}
