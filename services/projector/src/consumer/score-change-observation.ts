import type { ScoreChangedMessage } from '@leadscore/contracts';
import type { RulesetCatalog } from '../ruleset-catalog.js';
import type { Observe } from '../stages/decide-leads.js';

/**
 * Looks at a lead through one score change: the new score as of its instant, the triggering event
 * (or the rescoring) as the signal, and the scoring service's next crossing as the decay schedule.
 * A change at or below the position last decided on is a redelivery and is not looked at again:
 * deciding on an old score after newer ones could move the lead backwards. A rescore carries the
 * position of the lead's latest event, already decided on under the previous version, so at that
 * same position it is new exactly when it names another ruleset version than the last decision.
 */
export function scoreChangeObservation(message: ScoreChangedMessage, rulesets: RulesetCatalog): Observe {
  const position = BigInt(message.globalPosition);
  return async (current, client) => {
    if (current?.lastPosition != null && isDecided(message, position, current)) return undefined;
    const ruleset = await rulesets.get(message.rulesetId, message.rulesetVersion, client);
    // The instant the new score holds at: the triggering event's time, or the lead's latest event
    // when a late event made the scoring service recompute the lead.
    const at = Date.parse(message.scoredAt);
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
      // A rescore moves the lead when the ruleset is published (computedAt), not at an old event.
      signal:
        message.rescore === undefined
          ? {
              kind: 'event',
              at,
              eventId: message.eventId,
              ...(message.old === null
                ? {}
                : { before: { total: message.old.total, grade: message.old.grade } }),
            }
          : { kind: 'rescored', at: Date.parse(message.computedAt), ruleset: ruleset.key },
      email: message.email,
      position,
      nextCheckAt: message.nextCrossingAt === null ? null : Date.parse(message.nextCrossingAt),
    };
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
