import { leadIdSchema } from '@leadscore/contracts';
import { z } from 'zod';
import { apiProblems } from '../../http/api-problems.js';
import { Grade, Stage } from '../../http/common-schemas.js';
import { cursorParameter, decodeCursor, encodeCursor, limitParameter } from '../../http/cursor.js';
import { problemResponses } from '../../http/problem-responses.js';
import { type LeadFilters, type LeadSort, listLeads } from '../../read-models/list-leads.js';
import { type RouteOptions, requires, type ZodApp } from '../route-types.js';
import { presentLead, rulesetOfRow } from './lead-loader.js';
import { Lead } from './lead-schemas.js';

const ListQuery = z.object({
  stage: Stage.optional(),
  temperature: z
    .string()
    .min(1)
    .max(50)
    .optional()
    .describe(
      "A temperature band as the ruleset names it (e.g. hot), as of the lead's latest event (scored.temperature): a lead that has cooled since keeps its band here until its next event, while score.temperature is where it stands now",
    ),
  grade: Grade.optional(),
  minScore: z.coerce
    .number({ error: 'must be a number' })
    .optional()
    .describe('Lowest score (as of the latest event)'),
  source: z.string().min(1).max(200).optional().describe('First-touch utm source'),
  sort: z
    .enum(['-score', 'score'], { error: 'must be -score (highest first) or score (lowest first)' })
    .default('-score')
    .describe('By score as of the latest event: -score highest first (default), score lowest first'),
  limit: limitParameter(50, 200),
  cursor: cursorParameter,
});
type ListQuery = z.infer<typeof ListQuery>;

/**
 * Where a page ended, and the query it belongs to: a cursor replayed with other filters or
 * another sort would silently skip or repeat leads, so it is refused instead. A cursor is the
 * client's to tamper with: `t` (a score: a finite number, which z.number() is) and `i` (a lead id,
 * checked as the routes check ids) go to the database, so they are held to what they stand for.
 */
const ListCursor = z.strictObject({ t: z.number(), i: leadIdSchema, q: z.string() });

function queryKey(filters: LeadFilters, sort: LeadSort): string {
  return JSON.stringify([
    sort,
    filters.stage,
    filters.temperature,
    filters.grade,
    filters.minScore,
    filters.source,
  ]);
}

const LeadsPage = z.object({
  leads: z.array(Lead),
  nextCursor: z.string().nullable().describe('Pass as `cursor` for the next page; null on the last page'),
});

/** GET /v1/leads: filtered, sorted by score, keyset-paginated. */
export function listLeadsRoute(app: ZodApp, { context }: RouteOptions): void {
  app.get(
    '/v1/leads',
    {
      onRequest: app.requireScope('read'),
      schema: {
        operationId: 'listLeads',
        summary: 'Leads by stage, temperature, grade, score and source',
        description:
          'Keyset pagination: each page continues after the last lead of the previous one (by score as of ' +
          'the latest event, then id), so no lead is skipped or repeated as leads are added meanwhile. A lead ' +
          'whose score changes between two pages (a new event) moves in that order: if it crosses the cursor ' +
          'it is listed twice or not at all, so an export that must be exact reads while events are held back, ' +
          'or checks `scored.eventId`. Sort, minScore and temperature read the score as of the latest event ' +
          '(`scored`), not decayed to now (`score`). The cursor is only valid with the filters and sort it was ' +
          'issued for. A query parameter the route does not declare is refused (400), so a misspelt filter ' +
          'never widens the list.',
        tags: ['leads'],
        security: requires('read'),
        querystring: ListQuery,
        response: { 200: LeadsPage, ...problemResponses(400, 401, 403) },
      },
    },
    async (request) => {
      const { sort, limit, cursor, ...filters } = request.query satisfies ListQuery;
      const key = queryKey(filters, sort);
      const after = cursor === undefined ? undefined : decodeCursor(ListCursor, cursor);
      if (after && after.q !== key) {
        throw apiProblems.invalidCursor('belongs to a listing with other filters or another sort');
      }
      const rows = await listLeads(context.db, {
        filters,
        sort,
        after: after && { total: after.t, leadId: after.i },
        limit: limit + 1,
      });
      const page = rows.slice(0, limit);
      const [first, last] = [page[0], page.at(-1)];
      // Every row carries the same catalog version (one per statement); an empty page needs no ruleset.
      const ruleset = first && (await rulesetOfRow(context, first));
      return {
        leads: ruleset ? await Promise.all(page.map((row) => presentLead(context, ruleset, row))) : [],
        nextCursor:
          rows.length > limit && last ? encodeCursor({ t: last.total, i: last.lead_id, q: key }) : null,
      };
    },
  );
}
