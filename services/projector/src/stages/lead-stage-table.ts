import { type Grade, StageSchema } from '@leadscore/scoring';
import type pg from 'pg';
import type { LeadStage } from './lead-stage.js';

interface LeadStageRow {
  lead_id: string;
  email: string | null;
  stage: string;
  since: Date | null;
  ruleset_id: string;
  ruleset_version: number;
  engagement: number;
  fit: number;
  total: number;
  grade: string;
  temperature: string;
  two_way: boolean;
  score_at: Date;
  last_position: string | null;
  next_check_at: Date | null;
}

const columns = `lead_id, email, stage, since, ruleset_id, ruleset_version, engagement, fit, total, grade,
       temperature, two_way, score_at, last_position::text AS last_position, next_check_at`;

function toLeadStage(row: LeadStageRow): LeadStage {
  return {
    leadId: row.lead_id,
    email: row.email,
    stage: StageSchema.parse(row.stage),
    since: row.since?.getTime() ?? null,
    rulesetId: row.ruleset_id,
    rulesetVersion: row.ruleset_version,
    score: {
      at: row.score_at.getTime(),
      engagement: row.engagement,
      fit: row.fit,
      total: row.total,
      grade: row.grade as Grade,
      temperature: row.temperature,
      twoWay: row.two_way,
    },
    lastPosition: row.last_position === null ? null : BigInt(row.last_position),
    nextCheckAt: row.next_check_at?.getTime() ?? null,
  };
}

/**
 * Reads the leads' rows (those that exist) and locks them until the transaction ends, in lead id
 * order, so two transactions locking overlapping sets wait for each other instead of
 * deadlocking. Every writer of a lead (score changes, decay checks, manual moves) locks its row
 * before the lead's stream, always in that order, so none can deadlock on the pair either.
 *
 * One primary key probe per lead whatever the statistics say (the LATERAL subquery with its lock
 * cannot be flattened into a join); with `lead_id = ANY(...)` a young, never analyzed table was
 * often scanned whole for every batch.
 */
export async function lockLeadStages(
  client: pg.ClientBase,
  leadIds: readonly string[],
): Promise<Map<string, LeadStage>> {
  // The rows are locked as the probes reach them, in the order of the sorted ids.
  const { rows } = await client.query<LeadStageRow>(
    `SELECT stage.*
       FROM (SELECT DISTINCT id FROM unnest($1::text[]) AS wanted (id) ORDER BY id) AS wanted,
            LATERAL (SELECT ${columns} FROM lead_stages WHERE lead_id = wanted.id FOR UPDATE) AS stage`,
    [leadIds],
  );
  return new Map(rows.map((row) => [row.lead_id, toLeadStage(row)]));
}

const isoOrNull = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

/** The rows as one JSON document: one JSON.stringify, read by json_to_recordset (see `written`). */
function rowsDocument(leads: readonly LeadStage[]): string {
  return JSON.stringify(
    leads.map((lead) => ({
      lead_id: lead.leadId,
      email: lead.email,
      stage: lead.stage,
      since: isoOrNull(lead.since),
      ruleset_id: lead.rulesetId,
      ruleset_version: lead.rulesetVersion,
      engagement: lead.score.engagement,
      fit: lead.score.fit,
      total: lead.score.total,
      grade: lead.score.grade,
      temperature: lead.score.temperature,
      two_way: lead.score.twoWay,
      score_at: new Date(lead.score.at).toISOString(),
      last_position: lead.lastPosition?.toString() ?? null,
      next_check_at: isoOrNull(lead.nextCheckAt),
    })),
  );
}

const written = `
SELECT * FROM json_to_recordset($1::json) AS lead (
         lead_id text, email text, stage text, since timestamptz, ruleset_id text, ruleset_version int,
         engagement float8, fit float8, total float8, grade text, temperature text, two_way boolean,
         score_at timestamptz, last_position bigint, next_check_at timestamptz)`;

/** Inserts new leads' rows in one statement; resolves with how many were new (others were inserted concurrently). */
export async function insertLeadStages(client: pg.ClientBase, leads: readonly LeadStage[]): Promise<number> {
  if (leads.length === 0) return 0;
  const { rowCount } = await client.query(
    `INSERT INTO lead_stages (lead_id, email, stage, since, ruleset_id, ruleset_version, engagement, fit, total,
                              grade, temperature, two_way, score_at, last_position, next_check_at)
     ${written}
     ON CONFLICT (lead_id) DO NOTHING`,
    [rowsDocument(leads)],
  );
  return rowCount ?? 0;
}

/**
 * Rewrites rows the transaction holds locked (see lockLeadStages), in one statement. Written as
 * an upsert whose rows all conflict: ON CONFLICT finds each row by a primary key probe, where an
 * UPDATE ... FROM joined by hash over a scan of the whole table whenever the planner took the
 * table for small (a young, never analyzed one).
 */
export async function updateLeadStages(client: pg.ClientBase, leads: readonly LeadStage[]): Promise<void> {
  if (leads.length === 0) return;
  await client.query(
    `INSERT INTO lead_stages AS stored (lead_id, email, stage, since, ruleset_id, ruleset_version, engagement,
                                        fit, total, grade, temperature, two_way, score_at, last_position,
                                        next_check_at)
     ${written}
     ON CONFLICT (lead_id) DO UPDATE
        SET email = excluded.email, stage = excluded.stage, since = excluded.since,
            ruleset_id = excluded.ruleset_id, ruleset_version = excluded.ruleset_version,
            engagement = excluded.engagement, fit = excluded.fit, total = excluded.total,
            grade = excluded.grade, temperature = excluded.temperature, two_way = excluded.two_way,
            score_at = excluded.score_at, last_position = excluded.last_position,
            next_check_at = excluded.next_check_at, updated_at = now()`,
    [rowsDocument(leads)],
  );
}

/** A lead whose decay check is due, claimed by the transaction until it ends. */
export interface DueCheck {
  readonly leadId: string;
  readonly at: number;
}

export const claimDueChecksSql = `
SELECT lead_id, next_check_at FROM lead_stages
 WHERE next_check_at <= $1
 ORDER BY next_check_at
 LIMIT $2
   FOR UPDATE SKIP LOCKED`;

/**
 * Claims up to `limit` leads whose check is due, earliest first: one range scan of the
 * lead_stages_due index. SKIP LOCKED lets several projector instances share the work, and makes
 * a lead busy with a score change wait for the next round instead of blocking the check.
 */
export async function claimDueChecks(client: pg.ClientBase, now: number, limit: number): Promise<DueCheck[]> {
  const { rows } = await client.query<{ lead_id: string; next_check_at: Date }>(claimDueChecksSql, [
    new Date(now),
    limit,
  ]);
  return rows.map((row) => ({ leadId: row.lead_id, at: row.next_check_at.getTime() }));
}

/** Moves a lead's check to `at` (a check that failed is tried again later, not in a tight loop). */
export async function rescheduleCheck(client: pg.ClientBase, leadId: string, at: number): Promise<void> {
  await client.query('UPDATE lead_stages SET next_check_at = $2, updated_at = now() WHERE lead_id = $1', [
    leadId,
    new Date(at),
  ]);
}
