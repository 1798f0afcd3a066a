import {
  progressOf,
  type RescoringJob,
  RescoringJobStatusSchema,
  UNFINISHED_PROGRESS,
} from '@leadscore/rulesets';
import { z } from 'zod';
import { Instant } from '../../http/common-schemas.js';

export const RescoringJobSchema = z
  .object({
    jobId: z.string(),
    rulesetId: z.string(),
    rulesetVersion: z.number().int(),
    previousVersion: z.number().int().nullable(),
    status: RescoringJobStatusSchema.describe(
      'running until every lead has been looked at; completed once every lead is under the version; ' +
        'superseded: stopped unfinished because another version was published (its own job rescores every ' +
        'lead). Never superseded by a job under the same version: a rebuild asked for while a rebuild runs joins ' +
        'it, and one asked for while the active version’s publication is being rescored is refused (409 ' +
        '`publication-rescoring-running`)',
    ),
    rebuild: z.boolean().describe('A rebuild under the active version: every lead is recomputed'),
    requestedBy: z.string(),
    leads: z.object({
      total: z
        .number()
        .int()
        .describe(
          'Leads the job looks at: those scored when it started, raised to the processed count when leads ' +
            'scored since reach it; once completed, exactly the processed count',
        ),
      processed: z.number().int().describe('Leads looked at so far'),
      rescored: z.number().int().describe('Rebuilt under the version by the job'),
      skipped: z.number().int().describe('Already under the version: live scoring got there first'),
      changed: z.number().int().describe('Whose score or stage policy changed: a score change was published'),
      remaining: z
        .number()
        .int()
        .describe(
          'total - processed (not below 0); 0 once completed; for a superseded job, the leads it left',
        ),
    }),
    eventsReplayed: z.number().int(),
    progress: z
      .number()
      .min(0)
      .max(1)
      .describe(
        `processed / total: 1 once completed and only then (at most ${UNFINISHED_PROGRESS} before); a ` +
          'superseded job keeps the share it reached',
      ),
    leadsPerSecond: z.number().nullable(),
    etaAt: Instant.nullable().describe(
      'Estimated completion while running; null once completed or superseded',
    ),
    createdAt: Instant,
    startedAt: Instant.nullable(),
    finishedAt: Instant.nullable(),
  })
  .meta({ id: 'RescoringJob' });

const iso = (epochMs: number | null) => (epochMs === null ? null : new Date(epochMs).toISOString());

export function presentRescoringJob(job: RescoringJob, now: number): z.infer<typeof RescoringJobSchema> {
  const progress = progressOf(job, now);
  return {
    jobId: job.jobId,
    rulesetId: job.rulesetId,
    rulesetVersion: job.rulesetVersion,
    previousVersion: job.previousVersion,
    status: job.status,
    rebuild: job.rebuild,
    requestedBy: job.requestedBy,
    leads: {
      total: job.totalLeads,
      processed: job.processedLeads,
      rescored: job.rescoredLeads,
      skipped: job.skippedLeads,
      changed: job.changedLeads,
      remaining: progress.remainingLeads,
    },
    eventsReplayed: job.eventsReplayed,
    progress: progress.fraction,
    leadsPerSecond: progress.leadsPerSecond,
    etaAt: iso(progress.etaAt),
    createdAt: iso(job.createdAt)!,
    startedAt: iso(job.startedAt),
    finishedAt: iso(job.finishedAt),
  };
}
