import type { ScoreChangedMessage } from '@leadscore/contracts';
import type { RulesetCatalog } from '../ruleset-catalog.js';
import type { Observe } from '../stages/record-stage-decision.js';

/**
 * Looks at a lead through one score change: the new score as of its instant, the triggering event
 * as the signal, and the scoring service's next crossing as the decay schedule. A change at or
 * below the position last decided on is a redelivery and is not looked at again: deciding on an
 * old score after newer ones could move the lead backwards.
 */
export function scoreChangeObservation(message: ScoreChangedMessage, rulesets: RulesetCatalog): Observe {
  const position = BigInt(message.globalPosition);
  return async (current) => {
    if (current?.lastPosition != null && position <= current.lastPosition) return undefined;
    const ruleset = await rulesets.get(message.rulesetId, message.rulesetVersion);
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
      signal: { kind: 'event', at, eventId: message.eventId },
      email: message.email,
      position,
      nextCheckAt: message.nextCrossingAt === null ? null : Date.parse(message.nextCrossingAt),
    };
  };
}
