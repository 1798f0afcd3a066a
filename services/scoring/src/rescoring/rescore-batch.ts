import { atomicallyOpenedWith } from '@leadscore/eventstore';
import { type RescoringBatchResult, type RescoringJob, recordRescoringBatch } from '@leadscore/rulesets';
import type pg from 'pg';
import type { LeadScoreRecord } from '../engine/lead-record.js';
import type { Publication } from '../engine/publications.js';
import { loadLeadScores, lockLeadScoresAfter } from '../store/lead-scores.js';
import type { PendingPublication } from '../store/scoring-outbox.js';
import type { PreparedBatch } from './prepare-batch.js';
import { rescoreBatchOpening, rescoreBatchReads } from './rescore-batch-opening.js';
import { type LeadRescore, rescoreLeads } from './rescore-leads.js';
import { planRescoring, type RescoreBatchContext, type RescorePlan } from './rescore-plan.js';
import { storeRescoredBatch } from './rescoring-outbox.js';

export type { RescoreBatchContext } from './rescore-plan.js';

export interface RescoreBatchOutcome {
  /** The job after the batch; undefined when no job is running (or another instance holds it). */
  readonly job: RescoringJob | undefined;
  readonly batch: RescoringBatchResult | undefined;
  /** Messages to publish now that the batch committed (left-overs of earlier batches first). */
  readonly pending: readonly PendingPublication[];
}

/**
 * One batch of the running rescoring job, in ONE transaction: claim the job (skipped while another
 * instance runs a batch of it), lock the next leads after its checkpoint, rebuild those still
 * under an older version from all their events, write the records and the messages, and move the
 * checkpoint. A crash rolls all of it back; the next batch starts at the same checkpoint, so every
 * lead is rescored by the job once.
 *
 * Live scoring runs beside it: a scorer that touches a lead after the publication recomputes it
 * under the new version itself (under the same row lock), and the job then skips it.
 *
 * `prepared` is this batch rescored ahead (prepareBatch). A lead's prepared result is used only if
 * its row is the version it was computed from: then the record is the same, and the events read
 * ahead hold every event the record has folded. An event appended since is not in the result, as
 * an event appended after a read inside this transaction would not be: the scorer applies it to
 * the new record when it arrives. Any other lead is rescored here, under the lock.
 */
export async function rescoreNextBatch(
  context: RescoreBatchContext,
  prepared?: PreparedBatch,
): Promise<RescoreBatchOutcome> {
  const opening = rescoreBatchOpening(context.batchSize, prepared);
  return atomicallyOpenedWith(context.pool, 'rescore batch', opening, async (client, opened) => {
    const { leftovers, job, locked: lockedAhead } = rescoreBatchReads(opened, prepared);
    if (job === undefined) return { job: undefined, batch: undefined, pending: leftovers };
    // Locked in the opening when the prepared batch is the job's next one: then it is usable.
    const usable = lockedAhead !== undefined;
    const locked =
      lockedAhead ?? (await lockLeadScoresAfter(client, job.checkpointLeadId, context.batchSize));
    const rescores = new Map<string, LeadRescore>();
    const unprepared: string[] = [];
    for (const { leadId, rowVersion } of locked) {
      const lead = usable ? prepared?.leads.get(leadId) : undefined;
      if (lead?.rowVersion === rowVersion) rescores.set(leadId, lead.rescore);
      else unprepared.push(leadId);
    }
    if (unprepared.length > 0) {
      const plan = await planRescoring(client, context.rulesets, job, context.topics, context.now());
      for (const [leadId, rescore] of await rescoreUnderLock(client, unprepared, plan)) {
        rescores.set(leadId, rescore);
      }
    }

    const rescored: LeadScoreRecord[] = [];
    const publications: Publication[] = [];
    let eventsReplayed = 0;
    let current = 0;
    for (const { leadId } of locked) {
      const rescore = rescores.get(leadId)!;
      if (rescore.kind === 'current') {
        current += 1;
        continue;
      }
      eventsReplayed += rescore.eventsReplayed;
      if (rescore.rescored === undefined) continue;
      rescored.push(rescore.rescored.record);
      publications.push(...rescore.rescored.publications);
    }
    // Without leads there is nothing to publish, and no outbox row is written.
    const range = { first: locked[0]?.leadId ?? '', last: locked.at(-1)?.leadId ?? '' };
    const stored = await storeRescoredBatch(client, range, rescored, publications);
    const batch: RescoringBatchResult = {
      processedLeads: locked.length,
      rescoredLeads: rescored.length,
      skippedLeads: current,
      changedLeads: new Set(stored.map((publication) => publication.leadId)).size,
      eventsReplayed,
      checkpointLeadId: locked.at(-1)?.leadId ?? null,
      finished: locked.length < context.batchSize,
    };
    const updated = await recordRescoringBatch(client, job.jobId, batch);
    return { job: updated, batch, pending: [...leftovers, ...stored] };
  });
}

async function rescoreUnderLock(
  client: pg.ClientBase,
  leadIds: readonly string[],
  plan: RescorePlan,
): Promise<Map<string, LeadRescore>> {
  const records = await loadLeadScores(client, leadIds);
  return rescoreLeads(client, [...records.values()], plan);
}
