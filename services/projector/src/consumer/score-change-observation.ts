import { leadStreamId, type ScoreChangedMessage } from '@leadscore/contracts';
import { type Queryable, type RecordedEvent, readStreams } from '@leadscore/eventstore';
import type { CompiledRuleset, StageSignal } from '@leadscore/scoring';
import type pg from 'pg';
import { decayedLook, leadStateAt, leadStateOf } from '../decay/score-from-stream.js';
import type { RulesetCatalog } from '../ruleset-catalog.js';
import type { Observe } from '../stages/decide-leads.js';
import type { Observation } from '../stages/observation.js';

/**
 * Looks at a lead through one score change: the new score as of its instant, the triggering event
 * (or the rescoring) as the signal, and the scoring service's next crossing as the decay schedule.
 * A change at or below the position last decided on is a redelivery and is not looked at again:
 * deciding on an old score after newer ones could move the lead backwards. A rescore carries the
 * position of the lead's latest event, already decided on under the previous version, so at that
 * same position it is new exactly when it names another ruleset version than the last decision.
 */
export function scoreChangeObservation(
  message: ScoreChangedMessage,
  rulesets: RulesetCatalog,
  /** The lead's stream read beforehand for a later look (see prefetchRescoredStreams), if any. */
  stream?: readonly RecordedEvent[],
): Observe {
  const position = BigInt(message.globalPosition);
  return async (current, client) => {
    if (current?.lastPosition != null && isDecided(message, position, current)) return undefined;
    const ruleset = await rulesets.get(message.rulesetId, message.rulesetVersion, client);
    // The instant the new score holds at: the triggering event's time, or the lead's latest event
    // when a late event made the scoring service recompute the lead.
    const at = Date.parse(message.scoredAt);
    // A rescore moves the lead when the ruleset is published (computedAt), not at an old event.
    const signal: StageSignal =
      message.rescore === undefined
        ? {
            kind: 'event',
            at,
            eventId: message.eventId,
            ...(message.old === null
              ? {}
              : { before: { total: message.old.total, grade: message.old.grade } }),
          }
        : { kind: 'rescored', at: Date.parse(message.computedAt), ruleset: ruleset.key };
    // Only a stage change matters here, not every look: a decay check that moved nothing leaves
    // the decision to this score, as it would have been had the check come after it.
    const lookAt = Math.max(signal.at, current?.since ?? at);
    if (lookAt > at) {
      return await laterLook(message, client, ruleset, {
        signal: { ...signal, at: lookAt },
        position,
        stream,
      });
    }
    return {
      ruleset,
      view: {
        at,
        engagement: message.new.engagement,
        fit: message.new.fit,
        total: message.new.total,
        grade: message.new.grade,
        temperature: message.new.temperature,
        twoWay: message.signals.twoWay,
      },
      signal,
      email: message.email,
      position,
      nextCheckAt: message.nextCrossingAt === null ? null : Date.parse(message.nextCrossingAt),
    };
  };
}

/**
 * The score change's look at the lead when its score is older than the lead's stage: a rescore
 * (the score is as of the lead's latest event, the move as of the publication), or a late event
 * for a lead that changed stage after it (by decay, by hand, on a later score). Weighing that old
 * score against the present stage would move the lead on a score it no longer has: a lead recycled
 * by decay would be brought back to mql on the score it had before it cooled. So the lead is
 * looked at as of the later instant, with its events up to this change decayed to it, as a decay
 * check looks (and the next check is scheduled from there).
 */
async function laterLook(
  message: ScoreChangedMessage,
  client: pg.ClientBase,
  ruleset: CompiledRuleset,
  look: {
    readonly signal: StageSignal;
    readonly position: bigint;
    readonly stream: readonly RecordedEvent[] | undefined;
  },
): Promise<Observation> {
  const { at } = look.signal;
  const state =
    look.stream === undefined
      ? await leadStateAt(client, message.leadId, at, look.position, ruleset)
      : leadStateOf(look.stream, at, look.position, ruleset);
  return {
    ruleset,
    ...decayedLook(state, at, ruleset),
    signal: look.signal,
    email: message.email,
    position: look.position,
  };
}

function isDecided(
  message: ScoreChangedMessage,
  position: bigint,
  current: {
    readonly lastPosition: bigint | null;
    readonly rulesetId: string;
    readonly rulesetVersion: number;
  },
): boolean {
  if (current.lastPosition === null || position > current.lastPosition) return false;
  if (position < current.lastPosition || message.rescore === undefined) return true;
  return message.rulesetId === current.rulesetId && message.rulesetVersion === current.rulesetVersion;
}

/**
 * The streams of the leads whose score changes are rescores, read in one query ahead of their
 * decisions: a rescore's score is as of the lead's latest event and the publication comes later,
 * so each one is looked at from its stream (laterLook), and a query per lead made a publication
 * cost the projector about eight times as much per lead. Read outside the decision's transaction:
 * a lead's events up to a change's position are committed before the change is published, and
 * they are all a look reads (later ones are left out by position).
 */
export async function prefetchRescoredStreams(
  db: Queryable,
  changes: readonly ScoreChangedMessage[],
): Promise<ReadonlyMap<string, readonly RecordedEvent[]>> {
  const rescored = changes.filter((change) => change.rescore !== undefined);
  const leadIds = [...new Set(rescored.map((change) => change.leadId))];
  const byStream = await readStreams(db, leadIds.map(leadStreamId));
  return new Map(leadIds.map((leadId) => [leadId, byStream.get(leadStreamId(leadId)) ?? []]));
}
