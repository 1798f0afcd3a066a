import type { StageChangedMessage } from '@leadscore/contracts';
import { HttpProblem } from '@leadscore/platform';
import { REFUSED_IN_ACTOR, REFUSED_IN_REASON } from '@leadscore/projector-service';
import type { Stage as LeadStage } from '@leadscore/scoring';
import { z } from 'zod';
import { apiProblems } from '../../http/api-problems.js';
import { Grade, Instant, LeadIdParams, Stage } from '../../http/common-schemas.js';
import { problemResponses } from '../../http/problem-responses.js';
import { type RouteOptions, requires, type ZodApp } from '../route-types.js';
import { STAGE_ACTIONS, stageActionsDescription } from './stage-actions.js';

/** A character as a message names it: what it is, and its code point. */
function characterName(char: string): string {
  const codePoint = `U+${char.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`;
  if (/\p{Cc}/u.test(char)) return `the control character ${codePoint}`;
  if (char === '\u2028' || char === '\u2029') return `the line break ${codePoint}`;
  return `the bidirectional formatting character ${codePoint}`;
}

/** Refuses text holding a character `refused` matches, naming the first (they are invisible). */
const refusing =
  (refused: RegExp, hint = '') =>
  (text: string, context: z.RefinementCtx<string>) => {
    const char = refused.exec(text)?.[0];
    if (char !== undefined) {
      context.addIssue({ code: 'custom', message: `must not contain ${characterName(char)}${hint}` });
    }
  };

const ChangeStageBody = z.strictObject({
  action: z
    .enum(['disqualify', 'recycle', 'accept'], { error: 'must be disqualify, recycle or accept' })
    .describe('disqualify (to disqualified), recycle (to recycled, to be nurtured again) or accept (to sql)'),
  actor: z
    .string()
    .trim()
    .min(1)
    .max(120)
    .superRefine(refusing(REFUSED_IN_ACTOR))
    .optional()
    .describe(
      'The person acting, e.g. their CRM user or email; recorded beside the API key id. One line of ' +
        'text: control characters, line breaks and bidirectional formatting characters (U+061C, U+200E, ' +
        'U+200F, U+202A to U+202E, U+2066 to U+2069) are refused',
    ),
  reason: z
    .string()
    .max(1_000)
    .superRefine(refusing(REFUSED_IN_REASON, ' (tabs and line breaks are accepted)'))
    .default('')
    .describe(
      'Why, in their words; recorded as the note. Tabs and line breaks are accepted; other control ' +
        'characters, a CR outside CRLF, and bidirectional embeddings, overrides and isolates (U+202A ' +
        'to U+202E, U+2066 to U+2069) are refused',
    ),
});

const ChangeStageResult = z.object({
  leadId: z.string(),
  changed: z
    .boolean()
    .describe(
      'false when the action changes nothing: the lead already is in the stage, or the action does not ' +
        'move a lead from its stage (see the operation). Nothing was recorded.',
    ),
  stage: Stage.describe("The lead's stage once the request is done"),
  change: z
    .object({
      eventId: z.string().describe('The LeadStageChanged event id, also the CloudEvents id CRMs receive'),
      from: Stage,
      to: Stage,
      at: Instant,
      actor: z.string(),
      note: z.string().nullable(),
      score: z.object({ total: z.number(), grade: Grade }),
    })
    .nullable(),
});

/**
 * Moves a lead by hand; `actor` names who did it, `reason` why. Resolves with the lead's stage
 * after it, and the change recorded (none when the move changes nothing).
 */
export type ChangeStageManually = (
  leadId: string,
  to: string,
  actor: string,
  reason: string,
) => Promise<{ readonly stage: LeadStage; readonly change: StageChangedMessage | undefined }>;

/**
 * POST /v1/leads/{id}/stage: recorded as a LeadStageChanged event in the lead's stream (reason
 * manual, with the actor), so it reaches CRMs like every other stage change.
 */
export function changeStageRoute(
  app: ZodApp,
  { changeStageManually }: RouteOptions & { changeStageManually: ChangeStageManually },
): void {
  app.post(
    '/v1/leads/:id/stage',
    {
      onRequest: app.requireScope('admin'),
      schema: {
        operationId: 'changeLeadStage',
        summary: 'Disqualify, recycle or accept a lead by hand',
        description:
          "Records a LeadStageChanged event (reason manual) in the lead's stream with the actor: the API key " +
          'id, and the person named in `actor`. It is published to CRMs like every stage change, dated now ' +
          "(or at the lead's previous stage change, if a sender's clock dated that one later) and carrying " +
          "the lead's score at that instant.\n\n" +
          stageActionsDescription(),
        tags: ['leads'],
        security: requires('admin'),
        params: LeadIdParams,
        body: ChangeStageBody,
        response: {
          200: ChangeStageResult,
          201: ChangeStageResult,
          ...problemResponses(400, 401, 403, 404, 413, 415),
        },
      },
    },
    async (request, reply) => {
      const { id } = request.params;
      const { action, actor, reason } = request.body;
      const to = STAGE_ACTIONS[action];
      const keyId = request.apiKey?.id ?? 'unknown';
      const recordedActor = actor === undefined ? `api-key:${keyId}` : `${actor} (api-key:${keyId})`;
      const { stage, change } = await changeStageManually(id, to, recordedActor, reason).catch(toProblem(id));
      if (!change) return reply.code(200).send({ leadId: id, changed: false, stage, change: null });
      request.log.info(
        { leadId: id, eventId: change.id, from: change.from, to: change.to },
        'stage changed by hand',
      );
      return reply.code(201).send({
        leadId: id,
        changed: true,
        stage: change.to,
        change: {
          eventId: change.id,
          from: change.from,
          to: change.to,
          at: change.occurredAt,
          actor: change.actor ?? recordedActor,
          note: change.note ?? null,
          score: { total: change.score.total, grade: change.grade },
        },
      });
    },
  );
}

/** The projector's refusals, by their stable codes, as problems; anything else stays a 500. */
function toProblem(leadId: string) {
  return (error: unknown): never => {
    const code = (error as { code?: unknown }).code;
    if (code === 'LEAD_NOT_FOUND') throw apiProblems.leadNotFound(leadId);
    if (code === 'INVALID_STAGE_CHANGE') {
      const issues = (error as { issues: { path: string; message: string }[] }).issues;
      throw new HttpProblem({
        status: 400,
        code: 'validation',
        title: 'Request is invalid',
        detail: issues.map((issue) => `${issue.path}: ${issue.message}`).join('; '),
        extensions: { errors: issues.map((issue) => ({ in: 'body', ...issue })) },
      });
    }
    throw error;
  };
}
