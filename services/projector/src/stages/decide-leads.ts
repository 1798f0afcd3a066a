import { leadStreamId, type StageChangedMessage, stageChangedMessageSchema } from '@leadscore/contracts';
import {
  type AppendedEvent,
  appendToStreams,
  readStream,
  readStreamVersionsToAppend,
  type StreamAppend,
} from '@leadscore/eventstore';
import { decide } from '@leadscore/scoring';
import type pg from 'pg';
import { type LeadStage, nextLeadStage, stageStateOf } from './lead-stage.js';
import { insertLeadStages, lockLeadStages, updateLeadStages } from './lead-stage-table.js';
import type { Observation } from './observation.js';
import { toStageChangedEvent, toStageChangedMessages } from './stage-change-events.js';
import { insertStageHistory } from './stage-history-table.js';

/**
 * Looks at a lead inside the decision's transaction, given its row as the looks before this one
 * left it (undefined for a lead never seen) and the version of its stream the look decides on
 * (the version read for the decision, moved by the changes the looks before it decided). Returns
 * undefined when there is nothing to decide (say, a redelivered score change).
 */
export type Observe = (
  current: LeadStage | undefined,
  client: pg.ClientBase,
  streamVersion: number,
) => Promise<Observation | undefined>;

/** The looks to take at one lead, in the order they happened. */
export interface LeadLooks {
  readonly leadId: string;
  readonly looks: readonly Observe[];
}

export interface LeadDecisions {
  readonly leadId: string;
  /** For each look, in order: whether it was decided on (false: it had nothing to decide). */
  readonly decided: readonly boolean[];
  /** The changes appended by this call, in order; empty when the lead stayed where it was. */
  readonly changes: readonly StageChangedMessage[];
  /** The lead's row after its looks; undefined when none had anything to decide. */
  readonly lead: LeadStage | undefined;
}

/** Raised when a concurrent first look at a lead inserted its row first: nothing may be kept. */
export class LeadStageInsertedConcurrently extends Error {}

type Recorded = { readonly message: StageChangedMessage; readonly appended: AppendedEvent };

/**
 * Decides on many leads in the caller's transaction, in a fixed number of statements whatever
 * their count: lock their rows, read their streams' versions, take each lead's looks in order
 * (each on the row the previous one left), append every LeadStageChanged with one multi-stream
 * append that expects the versions read, then write the rows and the history. The rows come
 * first and the versions after: a stage change committed after the versions were read moves its
 * stream, so the append refuses the whole lot (StreamVersionConflictError) and the caller rolls
 * back and decides again: a decision is never made on a stale stage. The row locks give the
 * transaction its id before it may wait for another writer of the lead; a writer that got its id
 * later but appended first would then precede this one in the global log, so the version read
 * refuses (AppendOrderConflictError) and the caller decides again in a new transaction.
 */
export async function decideLeads(
  client: pg.ClientBase,
  leads: readonly LeadLooks[],
): Promise<LeadDecisions[]> {
  const current = await lockLeadStages(
    client,
    leads.map(({ leadId }) => leadId),
  );
  const versions = await readStreamVersionsToAppend(
    client,
    leads.map(({ leadId }) => leadStreamId(leadId)),
  );
  const looked: LookedAt[] = [];
  for (const { leadId, looks } of leads) {
    const version = versions.get(leadStreamId(leadId)) ?? 0;
    looked.push(await lookInOrder(client, { leadId, version }, current.get(leadId), looks));
  }

  // Appended before the other writes of the transaction, as the event store asks.
  const appends: StreamAppend[] = looked
    .filter(({ messages }) => messages.length > 0)
    .map(({ leadId, messages }) => ({
      streamId: leadStreamId(leadId),
      events: messages.map(toStageChangedEvent),
      expectedVersion: versions.get(leadStreamId(leadId)) ?? 0,
    }));
  const { appended, skippedEventIds } = await appendToStreams(client, appends);
  const appendedById = new Map(appended.map((event) => [event.eventId, event]));
  const recorded = looked.flatMap(({ messages }) =>
    messages.flatMap((message) => {
      const event = appendedById.get(message.id);
      return event === undefined ? [] : [{ message, appended: event }];
    }),
  );

  const decidedRows = looked.filter((lead) => lead.after !== undefined);
  await updateLeadStages(
    client,
    decidedRows.filter(({ before }) => before !== undefined).map(({ after }) => after as LeadStage),
  );
  const fresh = decidedRows
    .filter(({ before }) => before === undefined)
    .map(({ after }) => after as LeadStage);
  if ((await insertLeadStages(client, fresh)) < fresh.length) throw new LeadStageInsertedConcurrently();
  await insertStageHistory(client, [...recorded, ...(await storedChanges(client, looked, skippedEventIds))]);

  return looked.map(({ leadId, decided, messages, after }) => ({
    leadId,
    decided,
    changes: messages.filter((message) => appendedById.has(message.id)),
    lead: after,
  }));
}

interface LookedAt {
  readonly leadId: string;
  readonly before: LeadStage | undefined;
  readonly after: LeadStage | undefined;
  readonly decided: boolean[];
  readonly messages: StageChangedMessage[];
}

async function lookInOrder(
  client: pg.ClientBase,
  stream: { readonly leadId: string; readonly version: number },
  before: LeadStage | undefined,
  looks: readonly Observe[],
): Promise<LookedAt> {
  const { leadId } = stream;
  let lead = before;
  let after: LeadStage | undefined;
  const decided: boolean[] = [];
  const messages: StageChangedMessage[] = [];
  for (const observe of looks) {
    const observation = await observe(lead, client, stream.version + messages.length);
    decided.push(observation !== undefined);
    if (observation === undefined) continue;
    const changes = decide(
      stageStateOf(lead),
      observation.view,
      observation.signal,
      observation.ruleset.stages,
    );
    messages.push(...toStageChangedMessages(leadId, changes, observation));
    after = nextLeadStage(leadId, lead, observation, changes);
    lead = after;
  }
  return { leadId, before, after, decided, messages };
}

/**
 * An id the store already holds is not recorded twice; it means the read model is being rebuilt
 * behind the store, so the change's history row comes back, as the store has it. Rare (only
 * while rebuilding), so each such lead's stream is read on its own.
 */
async function storedChanges(
  client: pg.ClientBase,
  looked: readonly LookedAt[],
  skippedEventIds: readonly string[],
): Promise<Recorded[]> {
  if (skippedEventIds.length === 0) return [];
  const skipped = new Set(skippedEventIds);
  const restored: Recorded[] = [];
  for (const { leadId, messages } of looked) {
    if (!messages.some((message) => skipped.has(message.id))) continue;
    const { events } = await readStream(client, leadStreamId(leadId));
    for (const event of events) {
      if (skipped.has(event.eventId))
        restored.push({ message: stageChangedMessageSchema.parse(event.data), appended: event });
    }
  }
  return restored;
}
