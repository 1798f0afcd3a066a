import { SCORE_BUCKET_EDGES as SCORE_EDGES, simulateRulesets } from '@leadscore/rulesets';
import { compileRuleset } from '@leadscore/scoring';
import { z } from 'zod';
import { Instant, InstantParameter } from '../../http/common-schemas.js';
import { type RouteOptions, requires, type ZodApp } from '../route-types.js';
import { seededCatalog, versionOf } from './catalog-access.js';
import { rulesetProblemResponses, toRulesetProblem } from './ruleset-problems.js';
import { RulesetVersionParam } from './ruleset-schemas.js';

const StageCounts = z.record(z.string(), z.number().int());
const Distribution = z.object({
  counts: z
    .array(z.number().int())
    .describe('Leads per score bucket: below the first edge, each [edge, next), the last edge and above'),
  mean: z.number(),
  min: z.number(),
  max: z.number(),
});
const Prediction = z.object({
  truePositives: z.number().int(),
  falsePositives: z.number().int(),
  falseNegatives: z.number().int(),
  precision: z.number().nullable(),
  recall: z.number().nullable(),
  medianLeadTimeMs: z.number().nullable().describe('Median time from mql to the sql/prospect outcome'),
});

const SimulationResult = z
  .object({
    baselineVersion: z.number().int(),
    candidateVersion: z.number().int(),
    asOf: Instant.describe('The instant history was replayed up to'),
    scoreBucketEdges: z.array(z.number()),
    leads: z.number().int(),
    stages: z.object({
      baseline: StageCounts,
      candidate: StageCounts,
      moves: StageCounts.describe('Leads whose final stage differs, by "baseline->candidate"'),
      up: z.number().int(),
      down: z.number().int(),
    }),
    scores: z.object({ baseline: Distribution, candidate: Distribution }),
    outcomes: z.object({
      positive: z.number().int().describe('Leads that reached sql or prospect'),
      negative: z.number().int().describe('Leads disqualified before that'),
      unknown: z.number().int(),
      baseline: Prediction,
      candidate: Prediction,
      medianLeadTimeGainedMs: z
        .number()
        .nullable()
        .describe(
          'Median (candidate - baseline) lead time over leads both flagged correctly: > 0 is earlier',
        ),
    }),
  })
  .meta({ id: 'RulesetSimulation' });

const SimulateBody = z.strictObject({
  against: RulesetVersionParam.default('active').describe(
    'The version to compare with; the active one by default',
  ),
  asOf: InstantParameter.optional().describe('History up to this instant counts; now by default'),
});

/** POST /v1/rulesets/{version}/simulate: a backtest over every lead's history, writing nothing. */
export function simulateRulesetRoute(app: ZodApp, { context }: RouteOptions): void {
  app.post(
    '/v1/rulesets/:version/simulate',
    {
      onRequest: app.requireScope('admin'),
      schema: {
        operationId: 'simulateRuleset',
        summary: 'Backtest a version against another over every lead’s history',
        description:
          'Replays every lead from the event store under both versions (nothing is written) and reports how many ' +
          'leads would end in another stage, score distributions, and how well each version’s mql predicts the ' +
          'outcomes recorded since (sql or prospect reached, or disqualified): precision, recall, lead time.',
        tags: ['rulesets'],
        security: requires('admin'),
        params: z.object({ version: RulesetVersionParam }),
        body: SimulateBody,
        response: { 200: SimulationResult, ...rulesetProblemResponses(400, 401, 403, 404, 413, 415) },
      },
    },
    async (request) => {
      try {
        const catalog = await seededCatalog(context.db);
        const candidate = versionOf(catalog, request.params.version);
        const baseline = versionOf(catalog, request.body.against);
        const asOf = request.body.asOf ?? context.now();
        const report = await simulateRulesets(context.db, {
          baseline: compileRuleset(baseline.ruleset),
          candidate: compileRuleset(candidate.ruleset),
          asOf,
        });
        return {
          baselineVersion: baseline.version,
          candidateVersion: candidate.version,
          asOf: new Date(asOf).toISOString(),
          scoreBucketEdges: [...SCORE_EDGES],
          ...report,
        };
      } catch (error) {
        return toRulesetProblem(error);
      }
    },
  );
}
