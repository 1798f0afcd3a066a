import { randomUUID } from 'node:crypto';
import { atomically, type Queryable } from '@leadscore/eventstore';
import { holdActiveRulesetExclusive } from './active-ruleset-lock.js';
import { NoActiveRulesetError } from './errors.js';
import type { RescoringJob } from './rescoring/rescoring-job.js';
import { createRescoringJob } from './rescoring/rescoring-job-table.js';
import { readCatalog } from './ruleset-store.js';

/**
 * Starts a rebuild: a rescoring job under the active version that recomputes every lead from its
 * events, to repair or rebuild lead_scores from the store. Under the switch lock, so the version
 * cannot change while the job is created (a later publication supersedes it, as any job).
 */
export async function rebuildScores(db: Queryable, requestedBy: string): Promise<RescoringJob> {
  return atomically(db, 'rebuildScores', async (client) => {
    await holdActiveRulesetExclusive(client);
    const catalog = await readCatalog(client);
    const active =
      catalog.activeVersion === undefined ? undefined : catalog.versions.get(catalog.activeVersion);
    if (active === undefined) throw new NoActiveRulesetError();
    return createRescoringJob(client, {
      jobId: `rsj_${randomUUID()}`,
      rulesetId: active.ruleset.id,
      rulesetVersion: active.version,
      previousVersion: active.version,
      requestedBy,
      rebuild: true,
    });
  });
}
