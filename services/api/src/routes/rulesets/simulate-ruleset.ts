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
const Prediction = z
  .object({
    truePositives: z.number().int().describe('Positive outcome, and the version flagged the lead by then'),
    falsePositives: z
      .number()
      .int()
      .describe('Negative outcome (disqualified), and the version flagged the lead by then'),
    falseNegatives: z
      .number()
      .int()
      .describe('Positive outcome, and the version had not flagged the lead by then (never, or only later)'),
    trueNegatives: z
      .number()
      .int()
      .describe('Negative outcome, and the version had not flagged the lead by then'),
    precision: z.number().nullable().describe('TP / (TP + FP); null when both are 0'),
    recall: z.number().nullable().describe('TP / (TP + FN); null without positive outcomes'),
    medianLeadTimeMs: z
      .number()
      .nullable()
      .describe(
        'Median over true positives of (outcome instant - mql instant), never negative; null without any',
      ),
  })
  .describe(
    'How well the version’s mql predicts the outcomes. The version flags a lead when its replay takes the lead to ' +
      'mql (or beyond) by score, not by a person’s move, at or before the outcome’s instant; an mql reached only ' +
      'after the outcome predicts nothing. Leads with an unknown outcome are not counted.',
  );

const SimulationResult = z
  .object({
    baselineVersion: z.number().int(),
    candidateVersion: z.number().int(),
    asOf: Instant.describe('The instant history was replayed up to'),
    scoreBucketEdges: z.array(z.number()),
    leads: z
      .number()
      .int()
      .describe('Leads with activity up to asOf; the others are left out of every figure'),
    stages: z.object({
      baseline: StageCounts.describe(
        'Leads per stage where they stand under the baseline: where their recorded stage changes put them by ' +
          'asOf when the baseline is the active version, else where the baseline’s replay of their activity and ' +
          'of the moves people made leaves them',
      ),
      candidate: StageCounts.describe(
        'Leads per stage once the candidate is published, moved from the baseline’s',
      ),
      moves: StageCounts.describe('Leads whose stage publishing would change, by "baseline->candidate"'),
      up: z.number().int().describe('Moves up the funnel (lead, recycled and disqualified rank below mql)'),
      down: z.number().int().describe('Moves down the funnel (demotion)'),
    }),
    scores: z.object({ baseline: Distribution, candidate: Distribution }),
    outcomes: z.object({
      positive: z
        .number()
        .int()
        .describe(
          'Leads recorded entering sql or prospect (by score or by hand); the outcome instant is the first',
        ),
      negative: z
        .number()
        .int()
        .describe('Leads recorded disqualified before any sql or prospect; the outcome instant is the first'),
      unknown: z.number().int().describe('Leads with neither up to asOf: not counted in the predictions'),
      baseline: Prediction,
      candidate: Prediction,
      medianLeadTimeGainedMs: z
        .number()
        .nullable()
        .describe(
          'Median (candidate - baseline) lead time over the true positives of both versions: > 0 is earlier',
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
          'Replays every lead from the event store under both versions, nothing written: its activity and the stage ' +
          'moves people made (disqualify, recycle, accept, at their recorded instants), through the projector’s stage ' +
          'decider. Against the active version, the lead stands where its recorded stage changes put it by asOf ' +
          '(changes earlier versions and publications made included); against any other version (a draft, or one ' +
          'no longer active), where the baseline’s replay leaves it, since the record is not what that version ' +
          'would have made. The candidate’s stage is where publishing it at asOf would move the lead from there (one ' +
          'look at its rescored score decayed to asOf), so disqualified leads stay, forward-only ' +
          'versions move no lead down, and demotion goes to recycled. Reports the moves, score distributions at asOf, ' +
          'and how well each version’s mql predicts the outcome recorded ' +
          'for the lead up to asOf: positive when it entered sql or prospect, negative when it was disqualified ' +
          'before that. A version flags a lead when its replay took the lead to mql by score at or before the ' +
          'outcome’s instant; TP: positive and flagged, FP: negative and flagged, FN: positive and not flagged, ' +
          'TN: negative and not flagged; lead time: outcome instant - mql instant. A lead with no activity up to ' +
          'asOf is left out of every figure.',
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
          // The record is what the active version (and those before it) made: only it stands on it.
          standOnRecord: baseline.version === catalog.activeVersion,
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
