import { z } from 'zod';
import { apiProblems } from '../../http/api-problems.js';
import { Instant, LeadIdParams, Stage } from '../../http/common-schemas.js';
import { problemResponses } from '../../http/problem-responses.js';
import { findLeadById } from '../../read-models/find-lead.js';
import { readCurrentStage, readStageHistory, type StageChangeRow } from '../../read-models/stage-history.js';
import { type RouteOptions, requires, type ZodApp } from '../route-types.js';
import { StageChange } from './stage-schemas.js';

const StagesResponse = z.object({
  leadId: z.string(),
  current: z.object({ stage: Stage, since: Instant.nullable() }),
  history: z.array(StageChange).describe('Every stage change, oldest first'),
});

function toStageChange(row: StageChangeRow): StageChange {
  return {
    eventId: row.event_id,
    from: row.from_stage as StageChange['from'],
    to: row.to_stage as StageChange['to'],
    at: row.changed_at.toISOString(),
    reason: row.reason as StageChange['reason'],
    triggeringEventId: row.triggering_event_id,
    actor: row.actor,
    note: row.note,
    score: {
      total: row.total,
      grade: row.grade as StageChange['score']['grade'],
      temperature: row.temperature,
    },
    ruleset: { id: row.ruleset_id, version: row.ruleset_version },
  };
}

/** GET /v1/leads/{id}/stages: the current stage and how the lead got there. */
export function leadStagesRoute(app: ZodApp, { context }: RouteOptions): void {
  app.get(
    '/v1/leads/:id/stages',
    {
      onRequest: app.requireScope('read'),
      schema: {
        operationId: 'getLeadStages',
        summary: "A lead's stage and stage history",
        tags: ['leads'],
        security: requires('read'),
        params: LeadIdParams,
        response: { 200: StagesResponse, ...problemResponses(400, 401, 403, 404) },
      },
    },
    async (request) => {
      const { id } = request.params;
      const [current, history] = await Promise.all([
        readCurrentStage(context.db, id),
        readStageHistory(context.db, id),
      ]);
      // Scored but not yet looked at by the projector: still in the entry stage.
      if (!current && !(await findLeadById(context.db, id))) throw apiProblems.leadNotFound(id);
      return {
        leadId: id,
        current: {
          stage: (current?.stage ?? 'lead') as StageChange['to'],
          since: current?.since?.toISOString() ?? null,
        },
        history: history.map(toStageChange),
      };
    },
  );
}
