import { randomUUID } from 'node:crypto';
import { atomically, type Queryable } from '@leadscore/eventstore';
import { holdActiveRulesetExclusive } from './active-ruleset-lock.js';
import { NoActiveRulesetError, PublicationRescoringRunningError } from './errors.js';
import type { RescoringJob } from './rescoring/rescoring-job.js';
import { createRescoringJob, findRunningRescoringJob } from './rescoring/rescoring-job-table.js';
import { readCatalog } from './ruleset-store.js';

export interface RebuildResult {
  /** The job that rebuilds the scores: a new one, or the one already running under the version. */
  readonly job: RescoringJob;
  /** False when a job under the active version was running: the request joined it. */
  readonly started: boolean;
}

/**
 * Starts a rebuild: a rescoring job under the active version that recomputes every lead from its
 * events, to repair or rebuild lead_scores from the store. Under the switch lock, so the version
 * cannot change while the job is created (a later publication of another version supersedes it,
 * as any job).
 *
 * While another rebuild runs, no second job starts: the request joins that one, which recomputes
 * every lead it reaches (a fix deployed while it ran needs a new rebuild once it has completed).
 * While the publication of the active version is being rescored, the request is refused
 * (PublicationRescoringRunningError): that job rescores only leads under another version, so
 * joining it would not rebuild the leads already under this one (a version published again, say),
 * and superseding it would stop the publication half-way and report it stopped.
 */
export async function rebuildScores(db: Queryable, requestedBy: string): Promise<RebuildResult> {
  return atomically(db, 'rebuildScores', async (client) => {
    await holdActiveRulesetExclusive(client);
    const catalog = await readCatalog(client);
    const active =
      catalog.activeVersion === undefined ? undefined : catalog.versions.get(catalog.activeVersion);
    if (active === undefined) throw new NoActiveRulesetError();
    const running = await findRunningRescoringJob(client);
    if (running?.rulesetVersion === active.version) {
      if (!running.rebuild) throw new PublicationRescoringRunningError(running.jobId, running.rulesetVersion);
      return { job: running, started: false };
    }
    const job = await createRescoringJob(client, {
      jobId: `rsj_${randomUUID()}`,
      rulesetId: active.ruleset.id,
      rulesetVersion: active.version,
      previousVersion: active.version,
      requestedBy,
      rebuild: true,
    });
    return { job, started: true };
  });
}
