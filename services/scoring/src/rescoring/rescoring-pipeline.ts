import type { RescoringJob } from '@leadscore/rulesets';
import { type PreparedBatch, prepareBatch } from './prepare-batch.js';
import { type RescoreBatchContext, type RescoreBatchOutcome, rescoreNextBatch } from './rescore-batch.js';

/** A batch being prepared, and the checkpoint it starts after. */
interface Ahead {
  readonly after: string | null;
  readonly batch: Promise<PreparedBatch | undefined>;
}

export interface RescoringPipeline {
  /** Commits the next batch of the running job (see rescoreNextBatch). */
  runBatch(): Promise<RescoreBatchOutcome>;
  /** Waits for the batch being prepared ahead, if any (before the pool closes). */
  settle(): Promise<void>;
}

/**
 * Batches of a job one after the other, each prepared while the one before commits: reading and
 * folding batch N+1 (the service's CPU, the database's read) overlaps writing batch N (the
 * database's writes), on another connection of the pool. At most two batches are in memory. The
 * first batch, and any batch whose preparation failed or no longer fits (another instance moved
 * the job), is done in its transaction alone.
 */
export function rescoringPipeline(
  context: RescoreBatchContext,
  onPrepareFailed: (error: unknown) => void,
): RescoringPipeline {
  let ahead: Ahead | undefined;

  function prepareAfter(job: RescoringJob, after: string | null): Ahead {
    const batch = prepareBatch(context, job, after).catch((error: unknown) => {
      onPrepareFailed(error);
      return undefined;
    });
    return { after, batch };
  }

  return {
    async runBatch() {
      const prepared = await ahead?.batch;
      ahead = undefined;
      if (prepared !== undefined && !prepared.last) ahead = prepareAfter(prepared.job, prepared.lastLeadId);
      const outcome = await rescoreNextBatch(context, prepared);
      const { job, batch } = outcome;
      if (job?.status === 'running' && batch !== undefined && ahead?.after !== batch.checkpointLeadId) {
        // The batch ended elsewhere than prepared for (new leads, another instance's batch).
        await ahead?.batch;
        ahead = prepareAfter(job, batch.checkpointLeadId);
      }
      return outcome;
    },
    async settle() {
      await ahead?.batch;
    },
  };
}
