import type { Queryable } from '@leadscore/eventstore';
import type pg from 'pg';
import type { RescoringJob, RescoringJobStatus } from './rescoring-job.js';

interface RescoringJobRow {
  job_id: string;
  ruleset_id: string;
  ruleset_version: number;
  previous_version: number | null;
  status: RescoringJobStatus;
  rebuild: boolean;
  total_leads: string;
  processed_leads: string;
  rescored_leads: string;
  skipped_leads: string;
  changed_leads: string;
  events_replayed: string;
  checkpoint_lead_id: string | null;
  requested_by: string;
  created_at: Date;
  started_at: Date | null;
  finished_at: Date | null;
  updated_at: Date;
}

const columns = `job_id, ruleset_id, ruleset_version, previous_version, status, rebuild, total_leads,
  processed_leads, rescored_leads, skipped_leads, changed_leads, events_replayed,
  checkpoint_lead_id, requested_by, created_at, started_at, finished_at, updated_at`;

function toJob(row: RescoringJobRow): RescoringJob {
  return {
    jobId: row.job_id,
    rulesetId: row.ruleset_id,
    rulesetVersion: row.ruleset_version,
    previousVersion: row.previous_version,
    status: row.status,
    rebuild: row.rebuild,
    totalLeads: Number(row.total_leads),
    processedLeads: Number(row.processed_leads),
    rescoredLeads: Number(row.rescored_leads),
    skippedLeads: Number(row.skipped_leads),
    changedLeads: Number(row.changed_leads),
    eventsReplayed: Number(row.events_replayed),
    checkpointLeadId: row.checkpoint_lead_id,
    requestedBy: row.requested_by,
    createdAt: row.created_at.getTime(),
    startedAt: row.started_at?.getTime() ?? null,
    finishedAt: row.finished_at?.getTime() ?? null,
    updatedAt: row.updated_at.getTime(),
  };
}

export interface NewRescoringJob {
  readonly jobId: string;
  readonly rulesetId: string;
  readonly rulesetVersion: number;
  readonly previousVersion: number | null;
  readonly requestedBy: string;
  readonly rebuild?: boolean;
}

/**
 * Creates a running job and supersedes the job still running, if any (a publication of another
 * version makes its work moot: every lead it has not reached will be rescored by the new job
 * anyway), so at most one job runs. Runs in the publication's transaction, under the switch lock,
 * so a job exists exactly when its RulesetPublished event does.
 *
 * A job is only ever superseded by a job under another version: the running job is always under
 * the active version, publishing the active version is refused, and a rebuild under it joins a
 * running rebuild or is refused while the publication's job runs (rebuildScores). A running job under the new job's version is refused here, rolling
 * the caller's transaction back, rather than reported as superseded while its version stays active.
 */
export async function createRescoringJob(client: pg.ClientBase, job: NewRescoringJob): Promise<RescoringJob> {
  const { rows: superseded } = await client.query<{ job_id: string; ruleset_version: number }>(
    `UPDATE rescoring_jobs SET status = 'superseded', finished_at = now(), updated_at = now()
      WHERE status = 'running'
      RETURNING job_id, ruleset_version`,
  );
  const sameVersion = superseded.find((row) => row.ruleset_version === job.rulesetVersion);
  if (sameVersion !== undefined) {
    throw new Error(
      `rescoring job ${sameVersion.job_id} under version ${job.rulesetVersion} is running: ` +
        'a job under the same version joins it instead of superseding it',
    );
  }
  const { rows } = await client.query<RescoringJobRow>(
    `INSERT INTO rescoring_jobs (job_id, ruleset_id, ruleset_version, previous_version, status,
                                 rebuild, total_leads, requested_by)
     VALUES ($1, $2, $3, $4, 'running', $6, (SELECT count(*) FROM lead_scores), $5)
     RETURNING ${columns}`,
    [
      job.jobId,
      job.rulesetId,
      job.rulesetVersion,
      job.previousVersion,
      job.requestedBy,
      job.rebuild ?? false,
    ],
  );
  return toJob(rows[0]!);
}

/**
 * The running job, if any (at most one: creating a job supersedes the others), as last committed.
 * Not locked: a scoring instance may be running a batch of it, and may complete it meanwhile.
 */
export async function findRunningRescoringJob(db: Queryable): Promise<RescoringJob | undefined> {
  const { rows } = await db.query<RescoringJobRow>(
    `SELECT ${columns} FROM rescoring_jobs WHERE status = 'running' ORDER BY created_at DESC LIMIT 1`,
  );
  return rows[0] === undefined ? undefined : toJob(rows[0]);
}

export async function findRescoringJob(db: Queryable, jobId: string): Promise<RescoringJob | undefined> {
  const { rows } = await db.query<RescoringJobRow>(
    `SELECT ${columns} FROM rescoring_jobs WHERE job_id = $1`,
    [jobId],
  );
  return rows[0] === undefined ? undefined : toJob(rows[0]);
}

/** Newest first. */
export async function listRescoringJobs(db: Queryable, limit: number): Promise<RescoringJob[]> {
  const { rows } = await db.query<RescoringJobRow>(
    `SELECT ${columns} FROM rescoring_jobs ORDER BY created_at DESC, job_id LIMIT $1`,
    [limit],
  );
  return rows.map(toJob);
}

/**
 * The oldest running job, locked for the caller's transaction; skipped while another instance
 * holds it (it is running a batch), so instances take turns and never run one batch twice. A
 * statement without parameters, so that a batch can send it in its transaction's opening; its
 * result is read with claimedJob.
 */
export const claimRunningJobSql = `
SELECT ${columns} FROM rescoring_jobs WHERE status = 'running'
 ORDER BY created_at LIMIT 1 FOR UPDATE SKIP LOCKED`;

/** The job claimRunningJobSql claimed, if any. */
export function claimedJob(result: pg.QueryResult): RescoringJob | undefined {
  const row = result.rows[0] as RescoringJobRow | undefined;
  return row === undefined ? undefined : toJob(row);
}

/**
 * An SQL condition: the job `jobId` (an SQL expression) is running and its checkpoint is
 * `checkpoint` (an SQL expression; NULL for a job that has not started). For a statement that
 * should only act on a batch another instance is not running.
 */
export const runningAtCheckpointSql = (jobId: string, checkpoint: string) =>
  `EXISTS (SELECT 1 FROM rescoring_jobs WHERE job_id = ${jobId} AND status = 'running'
                  AND checkpoint_lead_id IS NOT DISTINCT FROM ${checkpoint})`;

export interface RescoringBatchResult {
  readonly processedLeads: number;
  readonly rescoredLeads: number;
  readonly skippedLeads: number;
  readonly changedLeads: number;
  readonly eventsReplayed: number;
  /** The last lead of the batch: everything up to it is done. */
  readonly checkpointLeadId: string | null;
  /** No lead after the checkpoint: the job is complete. */
  readonly finished: boolean;
}

/**
 * Records a batch in the transaction that wrote its scores: progress and checkpoint move together.
 * The total, counted when the job started, follows the leads scored since (never below the
 * processed count; equal to it once completed).
 */
export async function recordRescoringBatch(
  client: pg.ClientBase,
  jobId: string,
  batch: RescoringBatchResult,
): Promise<RescoringJob> {
  const { rows } = await client.query<RescoringJobRow>(
    `UPDATE rescoring_jobs
        SET processed_leads = processed_leads + $2, rescored_leads = rescored_leads + $3,
            -- Leads scored after the job started are looked at too: the total grows to meet them,
            -- and a completed job looked at exactly its total.
            total_leads = CASE WHEN $8 THEN processed_leads + $2 ELSE GREATEST(total_leads, processed_leads + $2) END,
            skipped_leads = skipped_leads + $4, changed_leads = changed_leads + $5,
            events_replayed = events_replayed + $6,
            checkpoint_lead_id = COALESCE($7, checkpoint_lead_id),
            status = CASE WHEN $8 THEN 'completed' ELSE status END,
            started_at = COALESCE(started_at, now()),
            finished_at = CASE WHEN $8 THEN now() ELSE finished_at END,
            updated_at = now()
      WHERE job_id = $1
      RETURNING ${columns}`,
    [
      jobId,
      batch.processedLeads,
      batch.rescoredLeads,
      batch.skippedLeads,
      batch.changedLeads,
      batch.eventsReplayed,
      batch.checkpointLeadId,
      batch.finished,
    ],
  );
  return toJob(rows[0]!);
}
