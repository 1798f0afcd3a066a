import type { StageChangedMessage } from '@leadscore/contracts';
import type { AppendedEvent } from '@leadscore/eventstore';
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
 * Reads a lead's row and locks it until the transaction ends. Every writer of a lead (score
 * changes, decay checks, manual moves) locks the row before the lead's stream, always in that
 * order, so two of them can never deadlock on the pair.
 */
export async function lockLeadStage(client: pg.ClientBase, leadId: string): Promise<LeadStage | undefined> {
  const { rows } = await client.query<LeadStageRow>(
    `SELECT ${columns} FROM lead_stages WHERE lead_id = $1 FOR UPDATE`,
    [leadId],
  );
  return rows[0] && toLeadStage(rows[0]);
}

export async function readLeadStage(
  db: pg.ClientBase | pg.Pool,
  leadId: string,
): Promise<LeadStage | undefined> {
  const { rows } = await db.query<LeadStageRow>(`SELECT ${columns} FROM lead_stages WHERE lead_id = $1`, [
    leadId,
  ]);
  return rows[0] && toLeadStage(rows[0]);
}

function rowValues(lead: LeadStage): unknown[] {
  const { score } = lead;
  return [
    lead.leadId,
    lead.email,
    lead.stage,
    lead.since === null ? null : new Date(lead.since),
    lead.rulesetId,
    lead.rulesetVersion,
    score.engagement,
    score.fit,
    score.total,
    score.grade,
    score.temperature,
    score.twoWay,
    new Date(score.at),
    lead.lastPosition?.toString() ?? null,
    lead.nextCheckAt === null ? null : new Date(lead.nextCheckAt),
  ];
}

/** Inserts a new lead's row; false when another transaction inserted it first. */
export async function insertLeadStage(client: pg.ClientBase, lead: LeadStage): Promise<boolean> {
  const { rowCount } = await client.query(
    `INSERT INTO lead_stages (lead_id, email, stage, since, ruleset_id, ruleset_version, engagement, fit, total,
                              grade, temperature, two_way, score_at, last_position, next_check_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)
     ON CONFLICT (lead_id) DO NOTHING`,
    rowValues(lead),
  );
  return rowCount === 1;
}

/** Rewrites a row the transaction holds locked (see lockLeadStage). */
export async function updateLeadStage(client: pg.ClientBase, lead: LeadStage): Promise<void> {
  await client.query(
    `UPDATE lead_stages
        SET email = $2, stage = $3, since = $4, ruleset_id = $5, ruleset_version = $6, engagement = $7, fit = $8,
            total = $9, grade = $10, temperature = $11, two_way = $12, score_at = $13, last_position = $14,
            next_check_at = $15, updated_at = now()
      WHERE lead_id = $1`,
    rowValues(lead),
  );
}

/** One history row per appended stage change, at its stream position. */
export async function insertStageHistory(
  client: pg.ClientBase,
  changes: readonly { readonly message: StageChangedMessage; readonly appended: AppendedEvent }[],
): Promise<void> {
  if (changes.length === 0) return;
  const column = <T>(pick: (change: StageChangedMessage) => T) => changes.map(({ message }) => pick(message));
  await client.query(
    `INSERT INTO lead_stage_history (event_id, lead_id, stream_position, from_stage, to_stage, changed_at, reason,
                                     triggering_event_id, actor, note, engagement, fit, total, grade, temperature,
                                     ruleset_id, ruleset_version)
     SELECT * FROM unnest($1::text[], $2::text[], $3::bigint[], $4::text[], $5::text[], $6::timestamptz[], $7::text[],
                          $8::text[], $9::text[], $10::text[], $11::float8[], $12::float8[], $13::float8[], $14::text[],
                          $15::text[], $16::text[], $17::int[])
     ON CONFLICT (event_id) DO NOTHING`,
    [
      column((c) => c.id),
      column((c) => c.leadId),
      changes.map(({ appended }) => appended.streamPosition),
      column((c) => c.from),
      column((c) => c.to),
      column((c) => c.occurredAt),
      column((c) => c.reason),
      column((c) => c.triggeringEventId),
      column((c) => c.actor ?? null),
      column((c) => c.note ?? null),
      column((c) => c.score.engagement),
      column((c) => c.score.fit),
      column((c) => c.score.total),
      column((c) => c.grade),
      column((c) => c.score.temperature),
      column((c) => c.rulesetId),
      column((c) => c.rulesetVersion),
    ],
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
