import { z } from 'zod';

/**
 * RFC 9457 problem details as every leadscore error answers them (see problem.ts), as a schema
 * for the API and webhook documents.
 */
export const ProblemSchema = z.looseObject({
  type: z.string().describe('A URN naming the kind of problem, e.g. urn:leadscore:problem:lead-not-found'),
  title: z.string(),
  status: z.number().int(),
  detail: z.string().optional(),
  instance: z.string().optional(),
  errors: z
    .array(z.object({ in: z.string(), path: z.string(), message: z.string() }))
    .optional()
    .describe('For 400: every bad field, where it was (querystring, params, body) and what is wrong'),
});
