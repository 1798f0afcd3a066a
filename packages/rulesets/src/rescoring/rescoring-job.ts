import { z } from 'zod';

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
  /** processed / total, 0..1 (1 once completed, whatever the count of leads that arrived since). */
  readonly fraction: number;
  /** Leads still to look at, by the count taken when the job started. */
  readonly remainingLeads: number;
  /** Leads per second since the job started; null before its first batch. */
  readonly leadsPerSecond: number | null;
  /** Estimated completion; null when unknown or finished. */
  readonly etaAt: number | null;
}

/**
 * Progress and ETA of a job at `now` (pure): the rate so far, extrapolated over the leads left.
 * Leads that arrive during the job are scored live under the new version and only make the
 * estimate a little pessimistic.
 */
export function progressOf(job: RescoringJob, now: number): RescoringProgress {
  const done = job.status !== 'running';
  const remainingLeads = done ? 0 : Math.max(0, job.totalLeads - job.processedLeads);
  const fraction = done || job.totalLeads === 0 ? 1 : Math.min(1, job.processedLeads / job.totalLeads);
  const end = job.finishedAt ?? now;
  const elapsedMs = job.startedAt === null ? 0 : end - job.startedAt;
  const leadsPerSecond =
    elapsedMs > 0 && job.processedLeads > 0 ? (job.processedLeads * 1000) / elapsedMs : null;
  const etaAt =
    done || leadsPerSecond === null ? null : Math.round(now + (remainingLeads / leadsPerSecond) * 1000);
  return { fraction, remainingLeads, leadsPerSecond, etaAt };
}
