import type pg from 'pg';
import {
  type ActivityData,
  leadStreamId,
  type ScoreChangedMessage,
  type ScoreSnapshot,
  scoreChangedMessageSchema,
} from '../../../packages/contracts/src/index.js';
import { appendToStream } from '../../../packages/eventstore/src/index.js';
import {
  type CompiledRuleset,
  foldEvents,
  nextCrossing,
  type ScoreView,
  type ScoringEvent,
  scoreAt,
  stageThresholds,
} from '../../../packages/scoring/src/index.js';

/** One activity of a lead, as a source posts it. */
export interface Activity {
  readonly type: string;
  readonly at: number;
  readonly properties?: ActivityData['properties'];
  readonly traits?: ActivityData['traits'];
}

export interface RecordedJourney {
  /** What the scoring service publishes for the journey, one message per activity that moved the score. */
  readonly scoreChanges: readonly ScoreChangedMessage[];
  /** The activities' stored event ids, in order. */
  readonly eventIds: readonly string[];
}

const iso = (ms: number) => new Date(ms).toISOString();

function snapshotOf({ engagement, fit, total, grade, temperature }: ScoreView): ScoreSnapshot {
  return { engagement, fit, total, grade, temperature };
}

/** The lines the scoring service schedules checks on: stage thresholds and temperature bands. */
function crossingLines(ruleset: CompiledRuleset): number[] {
  const bands = ruleset.temperatures.map((band) => band.minTotal).filter(Number.isFinite);
  return [...new Set([...stageThresholds(ruleset.stages), ...bands])];
}

/**
 * Stores a lead's activities in its stream as the ingest does, and computes the score-changed
 * messages the scoring service publishes for them, with the engine itself: the score of the
 * events so far at each event, the one before, and the next decay crossing.
 */
export async function recordJourney(
  pool: pg.Pool,
  lead: { readonly id: string; readonly email: string },
  activities: readonly Activity[],
  ruleset: CompiledRuleset,
): Promise<RecordedJourney> {
  const scoring: ScoringEvent[] = [];
  const scoreChanges: ScoreChangedMessage[] = [];
  const eventIds: string[] = [];
  for (const [i, activity] of activities.entries()) {
    const id = `${lead.id}-activity-${i}`;
    const data: ActivityData = {
      email: lead.email,
      ...(activity.properties ? { properties: activity.properties } : {}),
      ...(activity.traits ? { traits: activity.traits } : {}),
    };
    const { appended } = await appendToStream(pool, leadStreamId(lead.id), [
      { id, type: activity.type, data, occurredAt: new Date(activity.at) },
    ]);
    eventIds.push(id);
    const before = scoring.length === 0 ? null : scoreAt(foldEvents(scoring, ruleset), activity.at, ruleset);
    scoring.push({
      id,
      type: activity.type,
      occurredAt: activity.at,
      ...(activity.properties ? { properties: activity.properties } : {}),
      traits: { email: lead.email, ...activity.traits },
    });
    const state = foldEvents(scoring, ruleset);
    const view = scoreAt(state, activity.at, ruleset);
    if (before !== null && before.total === view.total && before.twoWay === view.twoWay) continue;
    const crossing = nextCrossing(state, crossingLines(ruleset), activity.at, ruleset);
    scoreChanges.push(
      scoreChangedMessageSchema.parse({
        leadId: lead.id,
        email: lead.email,
        eventId: id,
        globalPosition: appended[0]!.globalPosition.toString(),
        rulesetId: ruleset.source.id,
        rulesetVersion: ruleset.source.version,
        occurredAt: iso(activity.at),
        scoredAt: iso(activity.at),
        recomputed: false,
        computedAt: iso(activity.at),
        old: before && snapshotOf(before),
        new: snapshotOf(view),
        changes: ['score'],
        signals: {
          twoWay: state.twoWayAt !== null,
          twoWayAt: state.twoWayAt === null ? null : iso(state.twoWayAt),
        },
        nextCrossingAt: crossing === null ? null : iso(crossing.at),
      }),
    );
  }
  return { scoreChanges, eventIds };
}
