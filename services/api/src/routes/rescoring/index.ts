import { findRescoringJob, listRescoringJobs } from '@leadscore/rulesets';
import { z } from 'zod';
import { type RouteOptions, requires, type ZodApp } from '../route-types.js';
import { rescoringJobNotFound, rulesetProblemResponses } from '../rulesets/ruleset-problems.js';
import { presentRescoringJob, RescoringJobSchema } from './rescoring-job-schema.js';

/** /v1/rescoring...: the jobs publishing a ruleset version starts, with progress and ETA. */
export async function rescoringRoutes(app: ZodApp, { context }: RouteOptions): Promise<void> {
  app.get(
    '/v1/rescoring',
    {
      onRequest: app.requireScope('read'),
      schema: {
        operationId: 'listRescoringJobs',
        summary: 'Rescoring jobs, newest first',
        tags: ['rulesets'],
        security: requires('read'),
        querystring: z.object({
          limit: z.coerce.number().int().min(1).max(100).default(20).describe('Jobs to return, 1 to 100'),
        }),
        response: {
          200: z.object({ jobs: z.array(RescoringJobSchema) }),
          ...rulesetProblemResponses(400, 401, 403),
        },
      },
    },
    async (request) => {
      const jobs = await listRescoringJobs(context.db, request.query.limit);
      return { jobs: jobs.map((job) => presentRescoringJob(job, context.now())) };
    },
  );

  app.get(
    '/v1/rescoring/:jobId',
    {
      onRequest: app.requireScope('read'),
      schema: {
        operationId: 'getRescoringJob',
        summary: 'A rescoring job: progress, counts and ETA',
        description:
          'The scoring service rebuilds every lead under the published version by replay from the event ' +
          'store, in batches, while live events keep being scored. Poll this until status is completed.',
        tags: ['rulesets'],
        security: requires('read'),
        params: z.object({ jobId: z.string().min(1).max(100) }),
        response: { 200: RescoringJobSchema, ...rulesetProblemResponses(401, 403, 404) },
      },
    },
    async (request) => {
      const job = await findRescoringJob(context.db, request.params.jobId);
      if (job === undefined) throw rescoringJobNotFound(request.params.jobId);
      return presentRescoringJob(job, context.now());
    },
  );
}
