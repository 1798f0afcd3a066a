import { draftRuleset, publishRuleset } from '@leadscore/rulesets';
import { z } from 'zod';
import { presentRescoringJob, RescoringJobSchema } from '../rescoring/rescoring-job-schema.js';
import { type RouteOptions, requires, type ZodApp } from '../route-types.js';
import { seededCatalog } from './catalog-access.js';
import { rulesetProblemResponses, toRulesetProblem } from './ruleset-problems.js';
import {
  authorOf,
  DraftBody,
  PublishBody,
  presentSummary,
  RulesetVersionParam,
  RulesetWithDocument,
} from './ruleset-schemas.js';

const PublishResult = z.object({
  version: z.number().int(),
  previousVersion: z.number().int().nullable(),
  job: RescoringJobSchema,
});

/** POST /v1/rulesets (draft) and POST /v1/rulesets/{version}/publish. */
export function rulesetWriteRoutes(app: ZodApp, { context }: RouteOptions): void {
  app.post(
    '/v1/rulesets',
    {
      onRequest: app.requireScope('admin'),
      schema: {
        operationId: 'draftRuleset',
        summary: 'Store a new ruleset version as a draft',
        description:
          'The document is validated in full: a 400 lists every problem by path (ruleset.engagement[2].points). ' +
          'A stored version never changes; simulate it, then publish it. A document that names no version and ' +
          'equals a draft not yet published, or the active version, gets that version back (200, its status says ' +
          'which) instead of a new version.',
        tags: ['rulesets'],
        security: requires('admin'),
        body: DraftBody,
        response: {
          200: RulesetWithDocument,
          201: RulesetWithDocument,
          ...rulesetProblemResponses(400, 401, 403, 409, 413, 415),
        },
      },
    },
    async (request, reply) => {
      const { ruleset, author, comment } = request.body;
      const drafted = await draftRuleset(context.db, {
        document: ruleset,
        author: authorOf(author, request.apiKey?.id),
        comment,
      }).catch(toRulesetProblem);
      request.log.info(
        { version: drafted.version, author: drafted.draftedBy, reused: drafted.reused },
        drafted.reused ? `ruleset draft equals the ${drafted.status} version; reused` : 'ruleset drafted',
      );
      reply.header('location', `/v1/rulesets/${drafted.version}`);
      return reply
        .code(drafted.reused ? 200 : 201)
        .send({ ...presentSummary(drafted), ruleset: drafted.ruleset });
    },
  );

  app.post(
    '/v1/rulesets/:version/publish',
    {
      onRequest: app.requireScope('admin'),
      schema: {
        operationId: 'publishRuleset',
        summary: 'Make a version the active one and rescore every lead under it',
        description:
          'Starts a rescoring job (202): the scoring service replays every lead from the event store under the ' +
          'version while live events keep flowing; stage changes it causes carry reason `rescored`. Follow the ' +
          'job at Location. Publishing a retired version again rolls back to it.',
        tags: ['rulesets'],
        security: requires('admin'),
        params: z.object({ version: RulesetVersionParam }),
        body: PublishBody,
        response: { 202: PublishResult, ...rulesetProblemResponses(400, 401, 403, 404, 409, 413, 415) },
      },
    },
    async (request, reply) => {
      // Seeded first: the version to publish must be compared with an active one.
      const catalog = await seededCatalog(context.db);
      const version =
        request.params.version === 'active' ? (catalog.activeVersion ?? 0) : Number(request.params.version);
      const result = await publishRuleset(context.db, {
        version,
        author: authorOf(request.body.author, request.apiKey?.id),
        comment: request.body.comment,
      }).catch(toRulesetProblem);
      request.log.info(
        { version, previousVersion: result.previousVersion, jobId: result.job.jobId },
        'ruleset published; rescoring started',
      );
      reply.header('location', `/v1/rescoring/${result.job.jobId}`);
      return reply.code(202).send({
        version: result.version,
        previousVersion: result.previousVersion,
        job: presentRescoringJob(result.job, context.now()),
      });
    },
  );
}
