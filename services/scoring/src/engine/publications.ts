import {
  type AlertMessage,
  alertIdOf,
  alertMessageSchema,
  type ScoreChangedMessage,
  type ScoreSnapshot,
  scoreChangedMessageSchema,
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

/**
 * The messages a score change is announced with: a score-changed message when something a
 * consumer acts on moved, and one alert per pivotal rule the event raised. Each is checked
 * against its contract here, so a bug surfaces as a failed batch rather than a bad message.
 */
export function publicationsOf(
  change: LeadScoreChange,
  topics: Pick<Topics, 'scoreChanged' | 'alerts'>,
  computedAt: number,
): Publication[] {
  const { record, trigger } = change;
  const publications: Publication[] = [];
  if (change.changes.length > 0) {
    const message = scoreChangedMessageSchema.parse({
      leadId: record.leadId,
      ...(record.email === undefined ? {} : { email: record.email }),
      eventId: trigger.eventId,
      globalPosition: trigger.globalPosition.toString(),
      rulesetId: record.rulesetId,
      rulesetVersion: record.rulesetVersion,
      occurredAt: iso(trigger.occurredAt),
      scoredAt: iso(record.view.at),
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
    } satisfies ScoreChangedMessage);
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
