import { findRescoringJob, listRescoringJobs, rebuildScores } from '@leadscore/rulesets';
import { z } from 'zod';
import { limitParameter } from '../../http/cursor.js';
import { type RouteOptions, requires, type ZodApp } from '../route-types.js';
import { seededCatalog } from '../rulesets/catalog-access.js';
import {
  rescoringJobNotFound,
  rulesetProblemResponses,
  toRulesetProblem,
} from '../rulesets/ruleset-problems.js';
import { authorOf } from '../rulesets/ruleset-schemas.js';
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
        querystring: z.object({ limit: limitParameter(20, 100).describe('Jobs to return, 1 to 100') }),
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

  app.post(
    '/v1/rescoring',
    {
      onRequest: app.requireScope('admin'),
      schema: {
        operationId: 'rebuildScores',
        summary: 'Rebuild every lead’s score from the event store under the active version',
        description:
          'Starts a rescoring job (202) that recomputes every lead from its events, whatever version it is under: ' +
          'lead_scores rebuilt from the store while live events keep flowing. Follow the job at Location. While ' +
          'another rebuild runs, none is started: the answer is 200 with that job. While the active version’s ' +
          'publication is being rescored (a job with `rebuild: false`), the answer is 409 ' +
          '`publication-rescoring-running`: that job rescores only leads under another version, and a rebuild ' +
          'started now would stop it half-way; ask again once it has completed. A job is never superseded by one ' +
          'under its own version. To rebuild after a fix deployed while a rebuild ran, ask again once it has completed.',
        tags: ['rulesets'],
        security: requires('admin'),
        body: z.strictObject({
          author: z
            .string()
            .trim()
            .min(1)
            .max(120)
            .optional()
            .describe('Who asks; recorded beside the API key id'),
        }),
        response: {
          200: RescoringJobSchema,
          202: RescoringJobSchema,
          ...rulesetProblemResponses(400, 401, 403, 409, 413, 415),
        },
      },
    },
    async (request, reply) => {
      await seededCatalog(context.db);
      const { job, started } = await rebuildScores(
        context.db,
        authorOf(request.body.author, request.apiKey?.id),
      ).catch(toRulesetProblem);
      request.log.info(
        { jobId: job.jobId, rulesetVersion: job.rulesetVersion, rebuild: job.rebuild },
        started ? 'score rebuild started' : 'score rebuild joined the job running under the active version',
      );
      reply.header('location', `/v1/rescoring/${job.jobId}`);
      return reply.code(started ? 202 : 200).send(presentRescoringJob(job, context.now()));
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
          'store, in batches, while live events keep being scored. Poll this while status is running: it ends ' +
          'completed, or superseded when another version was published meanwhile (that version’s job rescores ' +
          'every lead); a superseded job’s progress and leads.remaining say how far it got.',
        tags: ['rulesets'],
        security: requires('read'),
        params: z.object({ jobId: z.string().min(1).max(100) }),
        response: { 200: RescoringJobSchema, ...rulesetProblemResponses(400, 401, 403, 404) },
      },
    },
    async (request) => {
      const job = await findRescoringJob(context.db, request.params.jobId);
      if (job === undefined) throw rescoringJobNotFound(request.params.jobId);
      return presentRescoringJob(job, context.now());
    },
  );
}
