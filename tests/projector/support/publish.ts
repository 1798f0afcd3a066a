import type { ScoreChangedMessage } from '../../../packages/contracts/src/index.js';
import type { Bus } from '../../../packages/kafka/src/index.js';

/** Publishes score changes as the scoring service does: key = lead id, JSON value. */
export function publishScoreChanges(bus: Bus, topic: string, messages: readonly ScoreChangedMessage[]) {
  return bus.publish(
    topic,
    messages.map((message) => ({ key: message.leadId, value: JSON.stringify(message) })),
  );
}

export const HOUR = 3_600_000;
export const DAY = 24 * HOUR;
export const iso = (ms: number) => new Date(ms).toISOString();

/** Fit traits of a decision-maker at a target company: grade A under the default ruleset. */
export const vpTraits = { title: 'VP Marketing', industry: 'software', companySize: 250 };
