import { randomUUID } from 'node:crypto';
import { atomically, type Queryable } from '@leadscore/eventstore';
import { holdActiveRulesetExclusive } from './active-ruleset-lock.js';
import { NoActiveRulesetError } from './errors.js';
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
 * While a job under the active version runs (a publication's job, or another rebuild), no second
 * job starts: the request joins that one. Superseding it would report a publication whose version
 * is active and fully rescored as stopped, and redo the leads it has done. The running job gives
 * what a rebuild would: a rebuild recomputes every lead it reaches, and a publication's job every
 * lead still under an older version, the live scorer having recomputed from the store each lead it
 * moved to the version first. A projection fix deployed while the job ran needs a new rebuild once
 * it has completed.
 */
export async function rebuildScores(db: Queryable, requestedBy: string): Promise<RebuildResult> {
  return atomically(db, 'rebuildScores', async (client) => {
    await holdActiveRulesetExclusive(client);
    const catalog = await readCatalog(client);
    const active =
      catalog.activeVersion === undefined ? undefined : catalog.versions.get(catalog.activeVersion);
    if (active === undefined) throw new NoActiveRulesetError();
    const running = await findRunningRescoringJob(client);
    if (running?.rulesetVersion === active.version) return { job: running, started: false };
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
