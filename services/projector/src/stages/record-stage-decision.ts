import { leadStreamId, type StageChangedMessage, stageChangedMessageSchema } from '@leadscore/contracts';
import {
  type AppendedEvent,
  appendToStream,
  atomically,
  type Logger,
  type Queryable,
  readStream,
  StreamVersionConflictError,
} from '@leadscore/eventstore';
import { decide } from '@leadscore/scoring';
import type pg from 'pg';
import { StageDecisionContendedError } from '../errors.js';
import type { ProjectorMetrics } from '../metrics.js';
import { type LeadStage, nextLeadStage, stageStateOf } from './lead-stage.js';
import { insertLeadStage, insertStageHistory, lockLeadStage, updateLeadStage } from './lead-stage-table.js';
import type { Observation } from './observation.js';
import { toStageChangedEvent, toStageChangedMessages } from './stage-change-events.js';

/**
 * Looks at a lead inside the decision's transaction, given its current row (undefined for a lead
 * never seen). Returns undefined when there is nothing to decide (say, a redelivered score change).
 */
export type Observe = (
  current: LeadStage | undefined,
  client: pg.ClientBase,
) => Promise<Observation | undefined>;

export interface StageDecision {
  /** The changes appended by this call, in order; empty when the lead stayed where it was. */
  readonly changes: readonly StageChangedMessage[];
  /** The lead's row after the decision; undefined when observe had nothing to decide. */
  readonly lead: LeadStage | undefined;
}

export interface StageDecisionContext {
  readonly metrics: ProjectorMetrics;
  readonly logger: Logger;
  /** Attempts before StageDecisionContendedError escapes. */
  readonly maxAttempts?: number;
}

/** Raised inside an attempt when a concurrent first look at the same lead inserted its row first. */
class LeadStageInsertedConcurrently extends Error {}

/**
 * One stage decision for one lead, recorded atomically: observe, decide, append the lead's
 * LeadStageChanged events with the stream version read beforehand as the expected version, and
 * update lead_stages and lead_stage_history in the same transaction. When another writer moved
 * the stream in between (a concurrent projector, or the ingest appending activity), nothing is
 * kept and the whole decision runs again on a fresh read: a decision is never made on a stale
 * stage. Given a pool it commits on its own; given a client it joins the caller's transaction
 * (under a savepoint, so a retry undoes only its own attempt).
 */
export async function recordStageDecision(
  db: Queryable,
  leadId: string,
  observe: Observe,
  context: StageDecisionContext,
): Promise<StageDecision> {
  const maxAttempts = context.maxAttempts ?? 20;
  for (let attempt = 1; ; attempt += 1) {
    try {
      const decision = await atomically(db, 'recordStageDecision', (client) =>
        decideOnce(client, leadId, observe),
      );
      report(leadId, decision, context);
      return decision;
    } catch (error) {
      const retryable =
        error instanceof StreamVersionConflictError || error instanceof LeadStageInsertedConcurrently;
      if (!retryable) throw error;
      context.metrics.versionConflicts.inc();
      if (attempt >= maxAttempts) throw new StageDecisionContendedError(leadId, attempt);
      context.logger.debug(
        { leadId, attempt },
        'stage decision conflicted with a concurrent writer; deciding again',
      );
    }
  }
}

async function decideOnce(client: pg.ClientBase, leadId: string, observe: Observe): Promise<StageDecision> {
  const streamId = leadStreamId(leadId);
  // The row first (locked, see lockLeadStage), then the stream's version: a stage change
  // committed after the version was read moves the stream, so the append below refuses it.
  const current = await lockLeadStage(client, leadId);
  const { currentVersion } = await readStream(client, streamId, { maxCount: 0 });
  const observation = await observe(current, client);
  if (observation === undefined) return { changes: [], lead: undefined };

  const decided = decide(
    stageStateOf(current),
    observation.view,
    observation.signal,
    observation.ruleset.stages,
  );
  const messages = toStageChangedMessages(leadId, decided, observation);
  const recorded: { message: StageChangedMessage; appended: AppendedEvent }[] = [];
  const restored: { message: StageChangedMessage; appended: AppendedEvent }[] = [];
  if (messages.length > 0) {
    // Appended before the other writes of the transaction, as the event store asks.
    const result = await appendToStream(client, streamId, messages.map(toStageChangedEvent), {
      expectedVersion: currentVersion,
    });
    for (const message of messages) {
      const appended = result.appended.find((event) => event.eventId === message.id);
      if (appended) recorded.push({ message, appended });
    }
    // An id the store already holds is not recorded twice; it means the read model is being
    // rebuilt behind the store, so the change's history row comes back, as the store has it.
    if (result.skippedEventIds.length > 0)
      restored.push(...(await storedChanges(client, streamId, result.skippedEventIds)));
  }

  const lead = nextLeadStage(leadId, current, observation, decided);
  if (current !== undefined) await updateLeadStage(client, lead);
  else if (!(await insertLeadStage(client, lead))) throw new LeadStageInsertedConcurrently();
  await insertStageHistory(client, [...recorded, ...restored]);
  return { changes: recorded.map(({ message }) => message), lead };
}

async function storedChanges(
  client: pg.ClientBase,
  streamId: string,
  eventIds: readonly string[],
): Promise<{ message: StageChangedMessage; appended: AppendedEvent }[]> {
  const { events } = await readStream(client, streamId);
  return events
    .filter((event) => eventIds.includes(event.eventId))
    .map((event) => ({ message: stageChangedMessageSchema.parse(event.data), appended: event }));
}

function report(leadId: string, decision: StageDecision, context: StageDecisionContext): void {
  for (const change of decision.changes) {
    context.metrics.stageChanges.inc({ to: change.to, reason: change.reason });
    context.logger.info(
      { leadId, eventId: change.id, from: change.from, to: change.to, reason: change.reason },
      'lead changed stage',
    );
  }
}
