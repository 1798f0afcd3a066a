import {
  type ActivityData,
  leadStreamId,
  type ScoreChangedMessage,
  type ScoreSnapshot,
  scoreChangedMessageSchema,
} from '@leadscore/contracts';
import { appendToStreams, type Queryable } from '@leadscore/eventstore';
import type { OutgoingMessage } from '@leadscore/kafka';
import {
  type CompiledRuleset,
  foldEvents,
  type ScoringEvent,
  scoreAt,
  scoringEventFromActivity,
} from '@leadscore/scoring';

/**
 * Each lead's activities, as bench:pipeline sends them: a profile (fit 35, grade A), an open, a
 * click, a blog visit, then a demo request that carries the lead to MQL. Every one changes the
 * score; the last one moves the lead.
 */
const ACTIVITIES: readonly { type: string; data: Omit<ActivityData, 'email'> }[] = [
  {
    type: 'profile.updated',
    data: { traits: { title: 'VP Marketing', industry: 'software', companySize: 250 } },
  },
  { type: 'email.opened', data: { properties: { campaign: 'bench' } } },
  { type: 'email.clicked', data: { properties: { url: '/blog/bench' } } },
  { type: 'page.visited', data: { properties: { url: '/blog/bench' } } },
  { type: 'form.submitted', data: { properties: { form: 'demo-request' } } },
];

export const SCORE_CHANGES_PER_LEAD = ACTIVITIES.length;

const LEADS_PER_APPEND = 500;
const snapshot = ({ engagement, fit, total, grade, temperature }: ScoreSnapshot): ScoreSnapshot => ({
  engagement,
  fit,
  total,
  grade,
  temperature,
});

/**
 * Stores `leads` leads' activities in their streams (so the projector finds real streams and
 * versions) and returns the score-changed messages the scoring service would publish for them,
 * scored by the engine, in waves: every lead's first change, then every lead's second, and so on,
 * as a steady load interleaves them.
 */
export async function seedScoreChanges(
  db: Queryable,
  leads: number,
  ruleset: CompiledRuleset,
  start: number,
): Promise<OutgoingMessage[]> {
  const byLead: ScoreChangedMessage[][] = [];
  for (let first = 0; first < leads; first += LEADS_PER_APPEND) {
    const ids = Array.from(
      { length: Math.min(LEADS_PER_APPEND, leads - first) },
      (_, i) => `bench-${first + i}`,
    );
    const appends = ids.map((leadId, lead) => ({
      leadId,
      streamId: leadStreamId(leadId),
      events: ACTIVITIES.map(({ type, data }, step) => ({
        id: `${leadId}-s${step}`,
        type,
        data: { email: `${leadId}@acme.io`, ...data },
        occurredAt: new Date(start + (first + lead) * 10 + step * 60_000),
      })),
    }));
    const { appended } = await appendToStreams(db, appends);
    const positions = new Map(appended.map((event) => [event.eventId, event.globalPosition]));
    for (const { leadId, events } of appends) {
      const scoring: ScoringEvent[] = [];
      byLead.push(
        events.map((event) => {
          const before =
            scoring.length === 0
              ? null
              : scoreAt(foldEvents(scoring, ruleset), event.occurredAt.getTime(), ruleset);
          scoring.push(
            scoringEventFromActivity({ ...event, eventId: event.id, occurredAt: event.occurredAt.getTime() }),
          );
          const view = scoreAt(foldEvents(scoring, ruleset), event.occurredAt.getTime(), ruleset);
          const at = event.occurredAt.toISOString();
          return scoreChangedMessageSchema.parse({
            leadId,
            email: event.data.email,
            eventId: event.id,
            globalPosition: String(positions.get(event.id)),
            rulesetId: ruleset.source.id,
            rulesetVersion: ruleset.source.version,
            occurredAt: at,
            scoredAt: at,
            recomputed: false,
            computedAt: at,
            old: before && snapshot(before),
            new: snapshot(view),
            changes: ['score'],
            signals: { twoWay: false, twoWayAt: null },
            nextCrossingAt: null,
          });
        }),
      );
    }
  }
  return ACTIVITIES.flatMap((_, step) =>
    byLead.map((changes) => {
      const message = changes[step] as ScoreChangedMessage;
      return { key: message.leadId, value: JSON.stringify(message) };
    }),
  );
}
