import {
  type AlertMessage,
  alertIdOf,
  alertMessageSchema,
  type ScoreChangedMessage,
  type ScoreSnapshot,
  type Topics,
} from '@leadscore/contracts';
import type { ScoreView } from '@leadscore/scoring';
import type { LeadScoreChange } from './score-change.js';

/** A message to publish once the transaction that produced it has committed. */
export interface Publication {
  readonly leadId: string;
  readonly topic: string;
  readonly key: string;
  readonly value: ScoreChangedMessage | AlertMessage;
}

const iso = (epochMs: number): string => new Date(epochMs).toISOString();

function snapshotOf(view: ScoreView): ScoreSnapshot {
  const { engagement, fit, total, grade, temperature } = view;
  return { engagement, fit, total, grade, temperature };
}

/** The mark a rescoring job puts on the score-changed messages it causes (see ScoreChangedMessage). */
export type RescoreMark = NonNullable<ScoreChangedMessage['rescore']>;

/** A score JSON cannot carry: NaN and infinities would be published as null. */
export class UnpublishableScoreError extends Error {
  constructor(leadId: string, snapshot: ScoreSnapshot) {
    super(`lead ${leadId}: score ${JSON.stringify(snapshot)} has a number JSON cannot carry`);
    this.name = 'UnpublishableScoreError';
  }
}

/**
 * The messages a score change is announced with: a score-changed message when something a
 * consumer acts on moved, and one alert per pivotal rule the event raised. A bug must surface as
 * a failed batch rather than a bad message. The score-changed message is built typed as its
 * contract (fields from validated events, instants from toISOString, which throws on an invalid
 * date), so only its numbers are checked here: running the whole schema on every message cost a
 * tenth of the scorer's CPU. Alerts, rare, are still parsed with their schema.
 *
 * A rescoring job's `rescore` mark goes into the message as it is built: copying the finished
 * message with it (an object spread and one more key) cost 2 µs per lead, a tenth of the fold.
 */
export function publicationsOf(
  change: LeadScoreChange,
  topics: Pick<Topics, 'scoreChanged' | 'alerts'>,
  computedAt: number,
  rescore?: RescoreMark,
): Publication[] {
  const { record, trigger } = change;
  const publications: Publication[] = [];
  if (change.changes.length > 0) {
    const occurredAt = iso(trigger.occurredAt);
    const message: ScoreChangedMessage = {
      leadId: record.leadId,
      ...(record.email === undefined ? {} : { email: record.email }),
      eventId: trigger.eventId,
      globalPosition: trigger.globalPosition.toString(),
      rulesetId: record.rulesetId,
      rulesetVersion: record.rulesetVersion,
      occurredAt,
      // The same instant when the trigger is the lead's latest event, as in every rescore.
      scoredAt: record.view.at === trigger.occurredAt ? occurredAt : iso(record.view.at),
      recomputed: change.recomputed,
      computedAt: iso(computedAt),
      old: change.old === null ? null : snapshotOf(change.old),
      new: snapshotOf(record.view),
      changes: [...change.changes],
      signals: {
        twoWay: record.state.twoWayAt !== null,
        twoWayAt: record.state.twoWayAt === null ? null : iso(record.state.twoWayAt),
      },
      nextCrossingAt: record.nextCrossingAt === null ? null : iso(record.nextCrossingAt),
      ...(rescore === undefined ? {} : { rescore }),
    };
    assertPublishable(record.leadId, message.new);
    if (message.old !== null) assertPublishable(record.leadId, message.old);
    publications.push({
      leadId: record.leadId,
      topic: topics.scoreChanged,
      key: record.leadId,
      value: message,
    });
  }
  for (const alert of change.alerts) {
    const message = alertMessageSchema.parse({
      alertId: alertIdOf(alert.eventId, alert.ruleId),
      leadId: record.leadId,
      ...(record.email === undefined ? {} : { email: record.email }),
      eventId: alert.eventId,
      ruleId: alert.ruleId,
      ...(trigger.url === undefined ? {} : { url: trigger.url }),
      temperature: alert.temperature,
      score: alert.total,
      occurredAt: iso(alert.at),
      rulesetId: record.rulesetId,
      rulesetVersion: record.rulesetVersion,
    } satisfies AlertMessage);
    publications.push({ leadId: record.leadId, topic: topics.alerts, key: record.leadId, value: message });
  }
  return publications;
}

function assertPublishable(leadId: string, snapshot: ScoreSnapshot): void {
  if (
    !Number.isFinite(snapshot.engagement) ||
    !Number.isFinite(snapshot.fit) ||
    !Number.isFinite(snapshot.total)
  ) {
    throw new UnpublishableScoreError(leadId, snapshot);
  }
}
