import { z } from 'zod';
import { apiProblems } from '../../http/api-problems.js';
import { Instant, InstantParameter } from '../../http/common-schemas.js';
import { problemResponses } from '../../http/problem-responses.js';
import { readFunnel } from '../../read-models/funnel.js';
import { type RouteOptions, requires, type ZodApp } from '../route-types.js';
import { funnelFigures } from './funnel-figures.js';

const FunnelQuery = z.object({
  from: InstantParameter.describe('Start of the period (inclusive)'),
  to: InstantParameter.describe('End of the period (exclusive)'),
  groupBy: z
    .enum(['source'], { error: 'must be source' })
    .optional()
    .describe('source: one group per first-touch utm source'),
});

/** A conversion rate: a share of a stage's cohort, so never above 1. */
const Rate = z.number().min(0).max(1).nullable();

const Group = z.object({
  source: z
    .string()
    .nullable()
    .optional()
    .describe('With groupBy=source: the utm source; null for leads without one'),
  entered: z
    .object({
      lead: z
        .number()
        .int()
        .describe('Leads whose earliest event occurred in the period, whenever it arrived'),
      mql: z.number().int().describe('Leads that reached mql or a later stage from a stage below mql'),
      sql: z.number().int().describe('Leads that reached sql or prospect from a stage below sql'),
      prospect: z.number().int().describe('Leads that reached prospect'),
    })
    .describe(
      'Leads that reached each stage within the period, each lead once per stage. A lead that reached a later stage has passed the earlier ones: mql -> prospect (a two-way signal) reaches sql too. A recycled or disqualified lead that qualifies again reaches the stages again.',
    ),
  conversion: z
    .object({
      leadToMql: Rate.describe('Of entered.lead, the share that has reached mql'),
      mqlToSql: Rate.describe('Of entered.mql, the share that has since reached sql or prospect'),
      sqlToProspect: Rate.describe('Of entered.sql, the share that has since reached prospect'),
    })
    .describe(
      "Cohort rates between 0 and 1: of the leads that reached a stage within the period, the share that has gone on to the next stage or past it since, inside the period or after it (so a recent period's rates grow as its leads progress); null when no lead reached the stage. Not entered[next] / entered[this]: a lead reaching the next stage in this period after reaching this one in an earlier period converts in the earlier period's figures.",
    ),
  medianSecondsInStage: z
    .object({ lead: z.number().nullable(), mql: z.number().nullable(), sql: z.number().nullable() })
    .describe(
      "Median time spent in the stage by the leads that left it within the period: from entering it (for lead: the lead's earliest event) to the change that moved it on. A lead that skipped a stage spent no time in it and is not counted there: in one change (mql to prospect), or in two at one instant (lead to mql to prospect, decided on one score).",
    ),
});

const FunnelResponse = z.object({ from: Instant, to: Instant, groups: z.array(Group) });

/** GET /v1/stats/funnel: stage entries, conversion rates and time in stage for a period. */
export function funnelRoute(app: ZodApp, { context }: RouteOptions): void {
  app.get(
    '/v1/stats/funnel',
    {
      onRequest: app.requireScope('read'),
      schema: {
        operationId: 'getFunnel',
        summary: 'Funnel figures for a period, optionally by source',
        tags: ['stats'],
        security: requires('read'),
        querystring: FunnelQuery,
        response: { 200: FunnelResponse, ...problemResponses(400, 401, 403) },
      },
    },
    async (request) => {
      const { from, to, groupBy } = request.query;
      if (to <= from) throw apiProblems.invalidRange('to', 'must be after from');
      const bySource = groupBy === 'source';
      const { cohorts, durations } = await readFunnel(context.db, { from, to, bySource });
      return {
        from: new Date(from).toISOString(),
        to: new Date(to).toISOString(),
        groups: funnelFigures(cohorts, durations, bySource),
      };
    },
  );
}
