import { ExplanationSchema, explain, foldEvents, scoreAt } from '@leadscore/scoring';
import { z } from 'zod';
import { apiProblems } from '../../http/api-problems.js';
import { FlagParameter, Instant, InstantParameter, LeadIdParams } from '../../http/common-schemas.js';
import { problemResponses } from '../../http/problem-responses.js';
import { readLeadActivity } from '../../scores/lead-events.js';
import { type RouteOptions, requires, type ZodApp } from '../route-types.js';
import { toScore } from './lead-representation.js';
import { Score } from './lead-schemas.js';

const ScoreQuery = z.object({
  at: InstantParameter.optional().describe(
    'Time travel: the score as it was (or will be, by decay alone) at this instant. Default: now, or ' +
      "the lead's latest event when a sender's clock dated it a little ahead (as GET /v1/leads/{id} does)",
  ),
  explain: FlagParameter.describe('Add the explanation: per rule, events counted and points now'),
});

const Explanation = ExplanationSchema.extend({
  at: Instant,
}).describe(
  'Why the score is what it is: the engagement rules decayed points sum to engagement.total (to ' +
    'floating-point rounding: the engine adds them in another order, so the last bits can differ), and ' +
    'engagement.total + fit.total + clampAdjustment = total',
);

const ScoreResponse = z.object({
  leadId: z.string(),
  ruleset: z.string().describe('The ruleset the score is computed with: id@version'),
  eventsCounted: z.number().int().describe('Activity events that occurred up to `at`'),
  score: Score,
  explanation: Explanation.optional(),
});

/**
 * GET /v1/leads/{id}/score: computed from the lead's stream (the source of truth), not from a
 * read model, so any past instant is answered exactly as the engine would have scored it then.
 */
export function leadScoreRoute(app: ZodApp, { context }: RouteOptions): void {
  app.get(
    '/v1/leads/:id/score',
    {
      onRequest: app.requireScope('read'),
      schema: {
        operationId: 'getLeadScore',
        summary: "A lead's score at any instant, with its explanation",
        description:
          'Reads the events that occurred up to `at` from the event store and folds them with the ' +
          'scoring engine: the score at a past instant equals what the engine computes from those events.',
        tags: ['leads'],
        security: requires('read'),
        params: LeadIdParams,
        querystring: ScoreQuery,
        response: { 200: ScoreResponse, ...problemResponses(400, 401, 403, 404) },
      },
    },
    async (request) => {
      const { id } = request.params;
      const asked = request.query.at;
      const activity = await readLeadActivity(context.db, id, asked);
      if (!activity.exists) throw apiProblems.leadNotFound(id);
      const at = asked ?? nowOrLatest(context.now(), activity.events);
      const ruleset = await context.ruleset();
      const state = foldEvents(activity.events, ruleset, at);
      const view = scoreAt(state, at, ruleset);
      const explanation = request.query.explain ? explain(state, at, ruleset) : undefined;
      return {
        leadId: id,
        ruleset: ruleset.key,
        eventsCounted: activity.events.length,
        score: toScore(view),
        ...(explanation
          ? { explanation: { ...explanation, at: new Date(explanation.at).toISOString() } }
          : {}),
      };
    },
  );
}

/**
 * "Now" for a lead's current score: the clock, or its latest event if that is later. The webhook
 * takes events dated up to INGEST_FUTURE_TOLERANCE_SECONDS ahead of its clock; the lead's score
 * counts them at once, and this one must agree with it.
 */
function nowOrLatest(now: number, events: readonly { readonly occurredAt: number }[]): number {
  let latest = now;
  for (const event of events) latest = Math.max(latest, event.occurredAt);
  return latest;
}
