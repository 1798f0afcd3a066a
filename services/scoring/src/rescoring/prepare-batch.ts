import type { RescoringJob } from '@leadscore/rulesets';
import { readPreviousRecordsAfter } from '../store/lead-scores.js';
import { type LeadRescore, rescoreLeads } from './rescore-leads.js';
import { planRescoring, type RescoreBatchContext } from './rescore-plan.js';

/**
 * A batch of a job rescored ahead of its transaction, from records and events read without
 * locks. The transaction uses a lead's result only if the job, its checkpoint and the lead's row
 * version are still those it was computed from (see rescoreNextBatch).
 */
export interface PreparedBatch {
  readonly job: RescoringJob;
  /** The checkpoint the batch starts after. */
  readonly after: string | null;
  /** Its last lead: the checkpoint after it. */
  readonly lastLeadId: string | null;
  /** Fewer leads than a batch were left: the job ends with this one. */
  readonly last: boolean;
  readonly leads: ReadonlyMap<string, { readonly rowVersion: string; readonly rescore: LeadRescore }>;
}

/**
 * Reads and rescores the batch after `after` outside any transaction, so that the runner can do it
 * while the batch before commits. The records are read before the events: the events read then
 * include every event a record read has folded, whatever was appended in between.
 */
export async function prepareBatch(
  context: RescoreBatchContext,
  job: RescoringJob,
  after: string | null,
): Promise<PreparedBatch> {
  const plan = await planRescoring(context.pool, context.rulesets, job, context.topics, context.now());
  const page = await readPreviousRecordsAfter(context.pool, after, context.batchSize, plan.ruleset.source);
  const rescores = await rescoreLeads(
    context.pool,
    page.map(({ record }) => record),
    plan,
  );
  return {
    job,
    after,
    lastLeadId: page.at(-1)?.record.leadId ?? null,
    last: page.length < context.batchSize,
    leads: new Map(
      page.map(({ record, rowVersion }) => [
        record.leadId,
        { rowVersion, rescore: rescores.get(record.leadId)! },
      ]),
    ),
  };
}
