import { emailSchema } from '@leadscore/contracts';
import { z } from 'zod';
import { apiProblems } from '../../http/api-problems.js';
import { LeadIdParams } from '../../http/common-schemas.js';
import { problemResponses } from '../../http/problem-responses.js';
import { findLeadByEmail, findLeadById } from '../../read-models/find-lead.js';
import { type RouteOptions, requires, type ZodApp } from '../route-types.js';
import { presentLead, rulesetOfRow } from './lead-loader.js';
import { Lead } from './lead-schemas.js';

/** GET /v1/leads/{id} and GET /v1/leads/by-email/{email}. */
export function getLeadRoutes(app: ZodApp, { context }: RouteOptions): void {
  app.get(
    '/v1/leads/:id',
    {
      onRequest: app.requireScope('read'),
      schema: {
        operationId: 'getLead',
        summary: 'A lead: score now, grade, temperature, stage',
        tags: ['leads'],
        security: requires('read'),
        params: LeadIdParams,
        response: { 200: Lead, ...problemResponses(400, 401, 403, 404) },
      },
    },
    async (request) => {
      const row = await findLeadById(context.db, request.params.id);
      if (!row) throw apiProblems.leadNotFound(request.params.id);
      return presentLead(context, await rulesetOfRow(context, row), row);
    },
  );

  app.get(
    '/v1/leads/by-email/:email',
    {
      onRequest: app.requireScope('read'),
      schema: {
        operationId: 'getLeadByEmail',
        summary: 'A lead by email address',
        description:
          'The address is matched case-insensitively. When several leads carry it (sent once by id, once by ' +
          'email alone), the lead keyed by the address wins, then the most recently active one.',
        tags: ['leads'],
        security: requires('read'),
        params: z.object({ email: emailSchema }),
        response: { 200: Lead, ...problemResponses(400, 401, 403, 404) },
      },
    },
    async (request) => {
      const row = await findLeadByEmail(context.db, request.params.email);
      if (!row) throw apiProblems.emailNotFound(request.params.email);
      return presentLead(context, await rulesetOfRow(context, row), row);
    },
  );
}
