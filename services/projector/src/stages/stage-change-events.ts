import { createHash } from 'node:crypto';
import {
  canonicalJson,
  type JsonValue,
  type StageChangedMessage,
  stageChangedMessageSchema,
  stageChangeIdPrefix,
} from '@leadscore/contracts';
import { leadStageChangedEventType, type NewEvent } from '@leadscore/eventstore';
import type { StageChanged, StageSignal } from '@leadscore/scoring';
import type { Observation } from './observation.js';

/**
 * The id of a stage change: `stg_` + 128 bits of SHA-256 over the lead, the move and what caused
 * it (the triggering event under its ruleset, the decay crossing instant, or the person, time and
 * stream version of a manual move). A redelivered score change decides the same moves and so
 * yields the same ids, which the store refuses to hold twice: a stage change can never appear
 * under two ids.
 */
export function stageChangeId(
  leadId: string,
  change: Pick<StageChanged, 'from' | 'to'>,
  cause: {
    readonly signal: StageSignal;
    readonly rulesetKey: string;
    readonly actor?: string;
    readonly streamVersion?: number;
  },
): string {
  // Not part of what caused the move: a note is free text, and the score before an event depends
  // on the order the lead's events arrived in (a rebuild may see another one), so neither may
  // change the id of a change decided again.
  const {
    note: _note,
    before: _before,
    ...signal
  } = cause.signal as StageSignal & {
    note?: string;
    before?: unknown;
  };
  const identity: JsonValue = {
    v: 1,
    lead: leadId,
    from: change.from,
    to: change.to,
    signal,
    ruleset: cause.rulesetKey,
    actor: cause.actor ?? null,
    // Only where set (manual moves), so that the ids of every other change stay as they were.
    ...(cause.streamVersion === undefined ? {} : { streamVersion: cause.streamVersion }),
  };
  const digest = createHash('sha256').update(canonicalJson(identity), 'utf8').digest('hex');
  return `${stageChangeIdPrefix}${digest.slice(0, 32)}`;
}

/** The stage-changed message (the stored event's data and the Kafka body) of each decided change. */
export function toStageChangedMessages(
  leadId: string,
  changes: readonly StageChanged[],
  observation: Observation,
): StageChangedMessage[] {
  const { ruleset, view, signal, email, actor, streamVersion } = observation;
  return changes.map((change) =>
    // Parsed so that nothing off-contract is ever stored: the relay publishes the data as it is.
    stageChangedMessageSchema.parse({
      id: stageChangeId(leadId, change, { signal, rulesetKey: ruleset.key, actor, streamVersion }),
      leadId,
      ...(email === undefined ? {} : { email }),
      from: change.from,
      to: change.to,
      reason: change.reason,
      occurredAt: new Date(change.at).toISOString(),
      score: { engagement: view.engagement, fit: view.fit, total: view.total, temperature: view.temperature },
      grade: change.grade,
      rulesetId: ruleset.source.id,
      rulesetVersion: ruleset.source.version,
      triggeringEventId: change.eventId ?? null,
      ...(actor === undefined ? {} : { actor }),
      ...(change.note === undefined ? {} : { note: change.note }),
    }),
  );
}

export function toStageChangedEvent(message: StageChangedMessage): NewEvent<StageChangedMessage> {
  return {
    id: message.id,
    type: leadStageChangedEventType,
    data: message,
    occurredAt: new Date(message.occurredAt),
  };
}
