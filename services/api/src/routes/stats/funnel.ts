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

const Group = z.object({
  source: z
    .string()
    .nullable()
    .optional()
    .describe('With groupBy=source: the utm source; null for leads without one'),
  entered: z
    .object({
      lead: z.number().int(),
      mql: z.number().int(),
      sql: z.number().int(),
      prospect: z.number().int(),
    })
    .describe('Leads that entered each stage within the period (lead: their first event occurred in it)'),
  conversion: z
    .object({
      leadToMql: z.number().nullable(),
      mqlToSql: z.number().nullable(),
      sqlToProspect: z.number().nullable(),
    })
    .describe("Next stage's entries over this stage's entries in the period; null when there were none"),
  medianSecondsInStage: z
    .object({ lead: z.number().nullable(), mql: z.number().nullable(), sql: z.number().nullable() })
    .describe('Median time spent in the stage by the leads that left it within the period'),
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
      const { entries, durations } = await readFunnel(context.db, { from, to, bySource });
      return {
        from: new Date(from).toISOString(),
        to: new Date(to).toISOString(),
        groups: funnelFigures(entries, durations, bySource),
      };
    },
  );
}
