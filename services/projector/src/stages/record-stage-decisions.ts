import {
  AppendOrderConflictError,
  atomically,
  type Logger,
  type Queryable,
  StreamVersionConflictError,
} from '@leadscore/eventstore';
import { StageDecisionContendedError } from '../errors.js';
import type { ProjectorMetrics } from '../metrics.js';
import {
  decideLeads,
  type LeadDecisions,
  type LeadLooks,
  LeadStageInsertedConcurrently,
} from './decide-leads.js';

export interface StageDecisionContext {
  readonly metrics: ProjectorMetrics;
  readonly logger: Logger;
  /** Attempts at one lead before StageDecisionContendedError escapes. */
  readonly maxAttempts?: number;
}

/**
 * Attempts at a batch of several leads before each of its leads is decided on its own: a batch
 * conflicts when any of its leads does, so one busy lead must not keep the others waiting.
 */
const batchAttempts = 3;

/**
 * Stage decisions for many leads, recorded atomically (see decideLeads). When another writer
 * moved one of the streams in between (a concurrent projector, or the ingest appending activity),
 * or appended to one from a younger transaction, nothing is kept and the whole batch is decided
 * again on a fresh read; after a few such attempts each lead is decided alone. Given a pool it commits on its own; given a client it
 * joins the caller's transaction (under a savepoint, so a retry undoes only its own attempt).
 */
export async function recordStageDecisions(
  db: Queryable,
  leads: readonly LeadLooks[],
  context: StageDecisionContext,
): Promise<LeadDecisions[]> {
  const attempts = leads.length > 1 ? batchAttempts : (context.maxAttempts ?? 20);
  for (let attempt = 1; attempt <= attempts; attempt += 1) {
    try {
      const decisions = await atomically(db, 'recordStageDecisions', (client) => decideLeads(client, leads));
      for (const decision of decisions) report(decision, context);
      return decisions;
    } catch (error) {
      if (!isContention(error)) throw error;
      context.metrics.versionConflicts.inc();
      context.logger.debug(
        { leads: leads.length, attempt, streamId: (error as { streamId?: string }).streamId },
        'stage decisions conflicted with a concurrent writer; deciding again',
      );
    }
  }
  if (leads.length === 1) throw new StageDecisionContendedError(leads[0]?.leadId ?? '', attempts);
  const decisions: LeadDecisions[] = [];
  for (const lead of leads) decisions.push(...(await recordStageDecisions(db, [lead], context)));
  return decisions;
}

/** Another writer of a lead got there first: deciding again on a fresh read resolves it. */
function isContention(error: unknown): boolean {
  return (
    error instanceof StreamVersionConflictError ||
    error instanceof AppendOrderConflictError ||
    error instanceof LeadStageInsertedConcurrently
  );
}

function report(decision: LeadDecisions, context: StageDecisionContext): void {
  for (const change of decision.changes) {
    context.metrics.stageChanges.inc({ to: change.to, reason: change.reason });
    context.logger.info(
      {
        leadId: decision.leadId,
        eventId: change.id,
        from: change.from,
        to: change.to,
        reason: change.reason,
      },
      'lead changed stage',
    );
  }
}
