import type { StageChangedMessage } from '@leadscore/contracts';
import type { Logger } from '@leadscore/eventstore';
import { changeInstant, type Stage, StageSchema, scoreAt } from '@leadscore/scoring';
import type pg from 'pg';
import { z } from 'zod';
import { leadStateAt } from '../decay/score-from-stream.js';
import { InvalidStageChangeError, LeadNotFoundError } from '../errors.js';
import type { ProjectorMetrics } from '../metrics.js';
import type { RulesetCatalog } from '../ruleset-catalog.js';
import { stageStateOf } from './lead-stage.js';
import { REFUSED_IN_ACTOR, REFUSED_IN_REASON } from './manual-move-text.js';
import { recordStageDecision } from './record-stage-decision.js';

const manualChangeSchema = z.object({
  leadId: z.string().min(1),
  to: StageSchema,
  actor: z
    .string()
    .trim()
    .min(1, 'must name who moves the lead')
    .max(200)
    .refine(
      (actor) => !REFUSED_IN_ACTOR.test(actor),
      'must not contain control characters, line breaks or bidirectional formatting characters',
    ),
  reason: z
    .string()
    .max(1_000)
    .refine(
      (reason) => !REFUSED_IN_REASON.test(reason),
      'must not contain control characters other than tab and line breaks, nor bidirectional embeddings, overrides or isolates',
    ),
});

export interface ManualStageChangeOptions {
  readonly pool: pg.Pool;
  readonly rulesets: RulesetCatalog;
  readonly now: () => number;
  readonly logger: Logger;
  readonly metrics: ProjectorMetrics;
}

export interface ManualStageChange {
  /** The lead's stage once the request is done. */
  readonly stage: Stage;
  /** The change recorded; undefined when the move changes nothing (see manualMoveSources). */
  readonly change: StageChangedMessage | undefined;
}

/**
 * Moves a lead by hand (sales disqualifying, recycling or accepting it) to `to`: a LeadStageChanged
 * with reason `manual`, the actor and their reason as its note, recorded like every other stage
 * change (same store, same read model, same relay to CRMs). Resolves with the change and the
 * lead's stage; no change when the lead already is in `to` or cannot be moved there by hand from
 * its stage. Throws InvalidStageChangeError for a bad request and LeadNotFoundError for a lead the
 * projector has not scored; neither changes anything.
 */
export type ChangeStageManually = (
  leadId: string,
  to: string,
  actor: string,
  reason: string,
) => Promise<ManualStageChange>;

export function createManualStageChange(options: ManualStageChangeOptions): ChangeStageManually {
  return async (leadId, to, actor, reason) => {
    const parsed = manualChangeSchema.safeParse({ leadId, to, actor, reason });
    if (!parsed.success) {
      throw new InvalidStageChangeError(
        parsed.error.issues.map((issue) => ({ path: issue.path.join('.'), message: issue.message })),
      );
    }
    const request = parsed.data;
    const { changes, lead } = await recordStageDecision(
      options.pool,
      request.leadId,
      async (current, client, streamVersion) => {
        if (current === undefined) throw new LeadNotFoundError(request.leadId);
        const ruleset = await options.rulesets.get(current.rulesetId, current.rulesetVersion, client);
        // The instant the change will carry (never before the lead's previous change), and the
        // score at that very instant, decayed like a decay check's: what CRMs receive and the row
        // keeps, not the last score looked at, which may be weeks old. The decay schedule stays:
        // the lead's events may reach beyond `at` (a sender's clock ahead), and the last score
        // change scheduled the next crossing after all of them.
        // Read under the lead's lock: a request that waited for another's move is dated after it.
        const at = changeInstant(stageStateOf(current), options.now());
        const state = await leadStateAt(client, current.leadId, at, current.lastPosition, ruleset);
        return {
          ruleset,
          view: scoreAt(state, at, ruleset),
          signal: {
            kind: 'manual',
            at,
            to: request.to,
            ...(request.reason === '' ? {} : { note: request.reason }),
          },
          email: current.email ?? undefined,
          actor: request.actor,
          streamVersion,
        };
      },
      options,
    );
    // The look above either decides on the lead or throws: there is always a row after it.
    if (lead === undefined) throw new LeadNotFoundError(request.leadId);
    return { stage: lead.stage, change: changes[0] };
  };
}
