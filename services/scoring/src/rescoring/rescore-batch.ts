import type { Topics } from '@leadscore/contracts';
import { atomically } from '@leadscore/eventstore';
import {
  claimRunningJob,
  type RescoringBatchResult,
  type RescoringJob,
  recordRescoringBatch,
  type StoredRulesets,
} from '@leadscore/rulesets';
import type { CompiledRuleset } from '@leadscore/scoring';
import type pg from 'pg';
import type { LeadScoreRecord } from '../engine/lead-record.js';
import type { Publication } from '../engine/publications.js';
import { loadLeadScores, upsertLeadScores } from '../store/lead-scores.js';
import { type PendingPublication, storePublications } from '../store/scoring-outbox.js';
import { nextLeadIds } from './next-lead-ids.js';
import { readLeadsEvents } from './read-leads-events.js';
import { rescoreLead } from './rescore-lead.js';
import { rescoreLeftovers } from './rescore-outbox.js';

export interface RescoreBatchContext {
  readonly pool: pg.Pool;
  readonly rulesets: StoredRulesets;
  readonly topics: Pick<Topics, 'scoreChanged' | 'alerts'>;
  readonly batchSize: number;
  readonly now: () => number;
}

export interface RescoreBatchOutcome {
  /** The job after the batch; undefined when no job is running (or another instance holds it). */
  readonly job: RescoringJob | undefined;
  readonly batch: RescoringBatchResult | undefined;
  /** Messages to publish now that the batch committed (left-overs of earlier batches first). */
  readonly pending: readonly PendingPublication[];
}

/**
 * One batch of the running rescoring job, in ONE transaction: claim the job (skipped while another
 * instance runs a batch of it), take the next leads after its checkpoint, lock their records,
 * rebuild those still under an older version from all their events, write the records and the
 * messages, and move the checkpoint. A crash rolls all of it back; the next batch starts at the
 * same checkpoint, so every lead is rescored by the job once.
 *
 * Live scoring runs beside it: a scorer that touches a lead after the publication recomputes it
 * under the new version itself (under the same row lock), and the job then skips it.
 */
export async function rescoreNextBatch(context: RescoreBatchContext): Promise<RescoreBatchOutcome> {
  return atomically(context.pool, 'rescore batch', async (client) => {
    const leftovers = await rescoreLeftovers(client, context.batchSize);
    const job = await claimRunningJob(client);
    if (job === undefined) return { job: undefined, batch: undefined, pending: leftovers };
    const ruleset = await context.rulesets.version(client, job.rulesetVersion);
    const leadIds = await nextLeadIds(client, job.checkpointLeadId, context.batchSize);
    const records = await loadLeadScores(client, leadIds);
    // A rebuild recomputes every lead; a publication only those the live scorer has not moved yet.
    const stale = [...records.values()].filter(
      (record) => job.rebuild || record.state.ruleset !== ruleset.key,
    );
    const events = await readLeadsEvents(
      client,
      stale.map((record) => record.leadId),
    );
    const policyChanged = await policyComparer(client, context.rulesets, ruleset);
    const rescored: LeadScoreRecord[] = [];
    const publications: Publication[] = [];
    let eventsReplayed = 0;
    const computedAt = context.now();
    for (const previous of stale) {
      const leadEvents = events.get(previous.leadId) ?? [];
      eventsReplayed += leadEvents.length;
      const result = rescoreLead(previous, leadEvents, ruleset, {
        jobId: job.jobId,
        topics: context.topics,
        computedAt,
        policyChanged,
      });
      if (result === undefined) continue;
      rescored.push(result.record);
      publications.push(...result.publications);
    }
    await upsertLeadScores(client, rescored);
    const stored = await storePublications(client, publications);
    const batch: RescoringBatchResult = {
      processedLeads: leadIds.length,
      rescoredLeads: rescored.length,
      skippedLeads: leadIds.length - stale.length,
      changedLeads: new Set(stored.map((publication) => publication.leadId)).size,
      eventsReplayed,
      checkpointLeadId: leadIds.at(-1) ?? null,
      finished: leadIds.length < context.batchSize,
    };
    const updated = await recordRescoringBatch(client, job.jobId, batch);
    return { job: updated, batch, pending: [...leftovers, ...stored] };
  });
}

/**
 * Whether a lead last scored under some version is decided by a different stage policy (or
 * temperature bands) under `target`; compared once per version in the batch.
 */
async function policyComparer(
  client: pg.ClientBase,
  rulesets: StoredRulesets,
  target: CompiledRuleset,
): Promise<(previous: LeadScoreRecord) => boolean> {
  const policyOf = (ruleset: CompiledRuleset) =>
    JSON.stringify([ruleset.source.stages, ruleset.source.temperatures]);
  const targetPolicy = policyOf(target);
  const catalog = await rulesets.catalog(client);
  const byVersion = new Map<number, boolean>();
  for (const version of catalog.versions.keys()) {
    byVersion.set(version, policyOf(await rulesets.version(client, version)) !== targetPolicy);
  }
  // A version the catalog does not know (scored before the catalog existed): decide again.
  return (previous) => byVersion.get(previous.rulesetVersion) ?? true;
}
