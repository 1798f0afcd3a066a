import type { Topics } from '@leadscore/contracts';
import type { Queryable } from '@leadscore/eventstore';
import type { RescoringJob, StoredRulesets } from '@leadscore/rulesets';
import type { CompiledRuleset } from '@leadscore/scoring';
import type pg from 'pg';
import type { PreviousRecord } from '../engine/lead-record.js';
import type { RescoreContext } from './rescore-lead.js';

export interface RescoreBatchContext {
  readonly pool: pg.Pool;
  readonly rulesets: StoredRulesets;
  readonly topics: Pick<Topics, 'scoreChanged' | 'alerts'>;
  readonly batchSize: number;
  readonly now: () => number;
}

/** What a batch of a job rescores with: the job, its ruleset, and the messages' context. */
export interface RescorePlan {
  readonly job: RescoringJob;
  readonly ruleset: CompiledRuleset;
  readonly lead: RescoreContext;
}

export async function planRescoring(
  db: Queryable,
  rulesets: StoredRulesets,
  job: RescoringJob,
  topics: Pick<Topics, 'scoreChanged' | 'alerts'>,
  computedAt: number,
): Promise<RescorePlan> {
  const ruleset = await rulesets.version(db, job.rulesetVersion);
  const policyChanged = await policyComparer(db, rulesets, ruleset);
  return { job, ruleset, lead: { jobId: job.jobId, topics, computedAt, policyChanged } };
}

/**
 * Whether a lead last scored under some version is decided by a different stage policy (or
 * temperature bands) under `target`; compared once per version in the batch.
 */
async function policyComparer(
  db: Queryable,
  rulesets: StoredRulesets,
  target: CompiledRuleset,
): Promise<(previous: PreviousRecord) => boolean> {
  const policyOf = (ruleset: CompiledRuleset) =>
    JSON.stringify([ruleset.source.stages, ruleset.source.temperatures]);
  const targetPolicy = policyOf(target);
  const catalog = await rulesets.catalog(db);
  const byVersion = new Map<number, boolean>();
  for (const version of catalog.versions.keys()) {
    byVersion.set(version, policyOf(await rulesets.version(db, version)) !== targetPolicy);
  }
  // A version the catalog does not know (scored before the catalog existed): decide again.
  return (previous) => byVersion.get(previous.rulesetVersion) ?? true;
}
