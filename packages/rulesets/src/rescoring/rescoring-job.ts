import { z } from 'zod';

/**
 * running: until every lead has been looked at; completed: every lead is under the version.
 * superseded: stopped unfinished because another version was published (its job rescores every
 * lead). A job is never superseded by one under its own version: a rebuild asked for while another
 * rebuild runs joins it, and one asked for while the active version's publication is being rescored
 * is refused (rebuildScores).
 */
export const RescoringJobStatusSchema = z.enum(['running', 'completed', 'superseded']);
export type RescoringJobStatus = z.infer<typeof RescoringJobStatusSchema>;

/** One rescoring job, as the table rescoring_jobs holds it. Times are epoch ms. */
export interface RescoringJob {
  readonly jobId: string;
  readonly rulesetId: string;
  readonly rulesetVersion: number;
  readonly previousVersion: number | null;
  readonly status: RescoringJobStatus;
  /** Recompute every lead, not only those under an older version (a rebuild of the projection). */
  readonly rebuild: boolean;
  readonly totalLeads: number;
  readonly processedLeads: number;
  readonly rescoredLeads: number;
  readonly skippedLeads: number;
  readonly changedLeads: number;
  readonly eventsReplayed: number;
  readonly checkpointLeadId: string | null;
  readonly requestedBy: string;
  readonly createdAt: number;
  readonly startedAt: number | null;
  readonly finishedAt: number | null;
  readonly updatedAt: number;
}

export interface RescoringProgress {
  /**
   * processed / total, 0..1: 1 once completed and only then (at most UNFINISHED_PROGRESS before,
   * though leads that arrived during the job can make processed reach total). A superseded job
   * keeps the share it reached.
   */
  readonly fraction: number;
  /** Leads still to look at, by the count taken when the job started; those a superseded job left. */
  readonly remainingLeads: number;
  /** Leads per second since the job started; null before its first batch. */
  readonly leadsPerSecond: number | null;
  /** Estimated completion; null when unknown or no longer running. */
  readonly etaAt: number | null;
}

/** The highest progress of a job that has not completed: 99.9 %, never shown as 100. */
export const UNFINISHED_PROGRESS = 0.999;

/**
 * Progress and ETA of a job at `now` (pure): the rate so far, extrapolated over the leads left.
 * Leads that arrive during the job are scored live under the new version and only make the
 * estimate a little pessimistic. A job that stopped before finishing (superseded) says how far it
 * got: it is not done, however it ended.
 */
export function progressOf(job: RescoringJob, now: number): RescoringProgress {
  const completed = job.status === 'completed';
  const running = job.status === 'running';
  const remainingLeads = completed ? 0 : Math.max(0, job.totalLeads - job.processedLeads);
  const fraction = completed
    ? 1
    : job.totalLeads === 0
      ? 0
      : Math.min(UNFINISHED_PROGRESS, job.processedLeads / job.totalLeads);
  const end = job.finishedAt ?? now;
  const elapsedMs = job.startedAt === null ? 0 : end - job.startedAt;
  const leadsPerSecond =
    elapsedMs > 0 && job.processedLeads > 0 ? (job.processedLeads * 1000) / elapsedMs : null;
  const etaAt =
    !running || leadsPerSecond === null ? null : Math.round(now + (remainingLeads / leadsPerSecond) * 1000);
  return { fraction, remainingLeads, leadsPerSecond, etaAt };
}
