import type { StageChangedMessage } from '@leadscore/contracts';
import type { Logger } from '@leadscore/eventstore';
import { StageSchema } from '@leadscore/scoring';
import type pg from 'pg';
import { z } from 'zod';
import { InvalidStageChangeError, LeadNotFoundError } from '../errors.js';
import type { ProjectorMetrics } from '../metrics.js';
import type { RulesetCatalog } from '../ruleset-catalog.js';
import { recordStageDecision } from './record-stage-decision.js';

const manualChangeSchema = z.object({
  leadId: z.string().min(1),
  to: StageSchema,
  actor: z.string().trim().min(1, 'must name who moves the lead').max(200),
  reason: z.string().max(1_000),
});

export interface ManualStageChangeOptions {
  readonly pool: pg.Pool;
  readonly rulesets: RulesetCatalog;
  readonly now: () => number;
  readonly logger: Logger;
  readonly metrics: ProjectorMetrics;
}

/**
 * Moves a lead by hand (sales disqualifying, recycling or accepting it) to `to`: a LeadStageChanged
 * with reason `manual`, the actor and their reason as its note, recorded like every other stage
 * change (same store, same read model, same relay to CRMs). Resolves with the change, or
 * undefined when the lead already is in `to`. Throws InvalidStageChangeError for a bad request
 * and LeadNotFoundError for a lead the projector has not scored; neither changes anything.
 */
export type ChangeStageManually = (
  leadId: string,
  to: string,
  actor: string,
  reason: string,
) => Promise<StageChangedMessage | undefined>;

export function createManualStageChange(options: ManualStageChangeOptions): ChangeStageManually {
  return async (leadId, to, actor, reason) => {
    const parsed = manualChangeSchema.safeParse({ leadId, to, actor, reason });
    if (!parsed.success) {
      throw new InvalidStageChangeError(
        parsed.error.issues.map((issue) => ({ path: issue.path.join('.'), message: issue.message })),
      );
    }
    const request = parsed.data;
    const at = options.now();
    const decision = await recordStageDecision(
      options.pool,
      request.leadId,
      async (current, client) => {
        if (current === undefined) throw new LeadNotFoundError(request.leadId);
        return {
          ruleset: await options.rulesets.get(current.rulesetId, current.rulesetVersion, client),
          // The score does not move a lead by hand; the last one looked at is recorded with the change.
          view: current.score,
          signal: {
            kind: 'manual',
            at,
            to: request.to,
            ...(request.reason === '' ? {} : { note: request.reason }),
          },
          email: current.email ?? undefined,
          actor: request.actor,
        };
      },
      options,
    );
    return decision.changes[0];
  };
}
