import { type Opening, sessionStatements } from '@leadscore/eventstore';
import {
  claimedJob,
  claimRunningJobSql,
  type RescoringJob,
  runningAtCheckpointSql,
} from '@leadscore/rulesets';
import pg from 'pg';
import { type LockedLead, lockedPage, lockPageSql } from '../store/lead-scores.js';
import type { PendingPublication } from '../store/scoring-outbox.js';
import type { PreparedBatch } from './prepare-batch.js';
import { leftoverBatchesSql, leftoverRowsSql, rescoreLeftovers } from './rescoring-outbox.js';

const statements = {
  rescore_batch_leftover_rows: `(integer) AS ${leftoverRowsSql}`,
  rescore_batch_leftover_batches: `AS ${leftoverBatchesSql}`,
  rescore_batch_claim: `AS ${claimRunningJobSql}`,
  // The page the prepared batch starts after ($1), locked only if its job ($3) still stands there.
  rescore_batch_lock_prepared: `(text, integer, text) AS ${lockPageSql(runningAtCheckpointSql('$3', '$1'))}`,
};

const prepareStatements = sessionStatements('rescore-batch', statements);

/** What a rescoring batch's transaction reads before it writes anything. */
export interface RescoreBatchReads {
  /** What earlier batches left to publish (rescoreLeftovers). */
  readonly leftovers: PendingPublication[];
  /** The running job, claimed for the transaction; undefined if none (or another instance holds it). */
  readonly job: RescoringJob | undefined;
  /**
   * The batch's rows, locked, when the prepared batch's page was still the job's next one;
   * otherwise undefined, and the caller locks the page after the job's checkpoint itself.
   */
  readonly locked: LockedLead[] | undefined;
}

/**
 * The opening of a rescoring batch's transaction, sent with BEGIN as one simple query
 * (atomicallyOpenedWith): the left-overs, the claim of the job and, with a prepared batch, the
 * lock of the page it was prepared for. One round trip where there were five; on two cores each
 * round trip of the batch's transaction waited 2 to 5 ms for the node process, busy preparing the
 * next batch, and for a core (docs/BENCHMARKS.md, eleventh session).
 *
 * The lock goes ahead of knowing the job's checkpoint: it locks nothing unless the prepared
 * batch's job is running at the checkpoint the batch was prepared after, which the claim just
 * before makes sure nobody moves. If another instance holds the job, the lock may wait for that
 * instance's batch to commit, and then finds the checkpoint moved: nothing is locked and no job
 * claimed, as without it.
 */
export function rescoreBatchOpening(batchSize: number, prepared: PreparedBatch | undefined): Opening {
  return async (client) => {
    await prepareStatements(client);
    const reads = [
      `EXECUTE rescore_batch_leftover_rows (${batchSize})`,
      'EXECUTE rescore_batch_leftover_batches',
      'EXECUTE rescore_batch_claim',
    ];
    if (prepared !== undefined) {
      const after = prepared.after === null ? 'NULL' : pg.escapeLiteral(prepared.after);
      reads.push(
        `EXECUTE rescore_batch_lock_prepared (${after}, ${batchSize}, ${pg.escapeLiteral(prepared.job.jobId)})`,
      );
    }
    return reads.join('; ');
  };
}

/** The reads of a transaction opened with rescoreBatchOpening, from its results in order. */
export function rescoreBatchReads(
  opened: readonly pg.QueryResult[],
  prepared: PreparedBatch | undefined,
): RescoreBatchReads {
  const [unpacked, batches, claim, lockedAhead] = opened;
  if (unpacked === undefined || batches === undefined || claim === undefined)
    throw new Error('rescoreBatchReads needs the results of rescoreBatchOpening');
  const job = claimedJob(claim);
  // The lock's condition held exactly when the claimed job is the prepared one at its checkpoint.
  const aheadHeld =
    job !== undefined &&
    prepared !== undefined &&
    lockedAhead !== undefined &&
    job.jobId === prepared.job.jobId &&
    job.checkpointLeadId === prepared.after;
  return {
    leftovers: rescoreLeftovers(unpacked, batches),
    job,
    locked: aheadHeld ? lockedPage(lockedAhead) : undefined,
  };
}
