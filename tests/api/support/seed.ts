import { expect } from 'vitest';
import { type ActivityEventInput, leadKeyOf, leadStreamId } from '../../../packages/contracts/src/index.js';
import { eventually } from '../../eventstore/eventually.js';
import { kafkaBrokers, uniqueTopicPrefix } from '../../support/infra.js';
import { KEYS, type Pipeline, startPipeline } from './pipeline.js';

export const HOUR = 3_600_000;
export const DAY = 24 * HOUR;
export const iso = (ms: number) => new Date(ms).toISOString();

/** Fit traits of a decision-maker at a target company: grade A under the default ruleset. */
export const vpTraits = { title: 'VP Marketing', industry: 'software', companySize: 250 };

/** Posts events to the webhook as a marketing tool would; they are accepted (202) or the test fails. */
export async function postEvents(
  pipeline: Pipeline,
  events: readonly ActivityEventInput[],
): Promise<string[]> {
  const response = await fetch(`${pipeline.ingestUrl}/v1/events`, {
    method: 'POST',
    headers: { authorization: `Bearer ${KEYS.ingest}`, 'content-type': 'application/json' },
    body: JSON.stringify({ events }),
  });
  const body = (await response.json()) as { ids: string[] };
  expect(response.status, JSON.stringify(body)).toBe(202);
  return body.ids;
}

const progressSql = `
SELECT count(m.*)::int AS stored,
       max(m.global_position) AS last_position,
       (SELECT last_global_position FROM lead_scores WHERE lead_id = $2) AS scored_position,
       (SELECT count(*)::int FROM scoring_outbox WHERE lead_id = $2) AS unpublished
  FROM eventstore.messages AS m
 WHERE m.stream_id = $1 AND m.type <> 'LeadStageChanged'`;

/**
 * Waits until the webhook's events are stored (`expected` activity events per lead), scored up to
 * the last of them, and their score changes published.
 */
export async function untilScored(pipeline: Pipeline, expected: ReadonlyMap<string, number>): Promise<void> {
  await eventually(async () => {
    for (const [leadId, count] of expected) {
      const { rows } = await pipeline.pool.query(progressSql, [leadStreamId(leadId), leadId]);
      const progress = rows[0];
      expect(progress?.stored, `events of ${leadId} stored`).toBe(count);
      expect(progress?.scored_position, `${leadId} scored`).toBe(progress?.last_position);
      expect(progress?.unpublished, `score changes of ${leadId} published`).toBe(0);
    }
  }, 60_000);
}

/** Activity events per lead key of a batch, for untilScored. */
export function countByLead(events: readonly ActivityEventInput[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const event of events) {
    const key = leadKeyOf({ ...event.lead, email: event.lead.email?.trim().toLowerCase() });
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return counts;
}

/**
 * A pipeline on `databaseUrl` whose api clock stands ten days after `start`, with `journey` posted
 * and every event of it scored; `ids` are the event ids the webhook answered, in journey order.
 */
export async function startWithScoredJourney(
  databaseUrl: string,
  journey: readonly ActivityEventInput[],
  start: number,
): Promise<{ pipeline: Pipeline; ids: string[] }> {
  const pipeline = await startPipeline({
    databaseUrl,
    brokers: kafkaBrokers(),
    topicPrefix: uniqueTopicPrefix(),
    clock: start + 10 * DAY,
  });
  const ids = await postEvents(pipeline, journey);
  await untilScored(pipeline, countByLead(journey));
  return { pipeline, ids };
}
