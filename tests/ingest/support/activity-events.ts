import type pg from 'pg';
import {
  type ActivityEventInput,
  activityEventSchema,
  leadKeyOf,
  leadStreamId,
} from '../../../packages/contracts/src/index.js';
import { generateActivityEvents } from '../../support/generated-activity.js';

/**
 * `count` distinct valid events over `leads` leads, in posting order (see generateActivityEvents);
 * emails in mixed case, so the lead key's normalisation is exercised too.
 */
export function makeActivityEvents(count: number, leads: number, tag: string): ActivityEventInput[] {
  return generateActivityEvents(count, leads, tag, {
    start: Date.UTC(2026, 2, 1),
    email: (lead) => `Person.${lead}@Example.com`,
    properties: (i) => ({ sequence: i, url: `https://example.com/page/${i % 17}` }),
  });
}

export interface StoredRow {
  readonly streamId: string;
  readonly streamPosition: number;
  readonly eventId: string;
}

/** Every stored event, by stream then stream position. */
export async function storedEvents(db: pg.Pool): Promise<StoredRow[]> {
  const { rows } = await db.query<{ stream_id: string; stream_position: string; event_id: string }>(
    'SELECT stream_id, stream_position, event_id FROM eventstore.messages ORDER BY stream_id, stream_position',
  );
  return rows.map((row) => ({
    streamId: row.stream_id,
    streamPosition: Number(row.stream_position),
    eventId: row.event_id,
  }));
}

/** Event ids per stream in stream order. */
export function idsByStream(rows: readonly StoredRow[]): Map<string, string[]> {
  const streams = new Map<string, string[]>();
  for (const row of rows) streams.set(row.streamId, [...(streams.get(row.streamId) ?? []), row.eventId]);
  return streams;
}

export async function storedCount(db: pg.Pool): Promise<number> {
  const { rows } = await db.query<{ count: string }>('SELECT count(*) FROM eventstore.messages');
  return Number(rows[0]?.count ?? 0);
}

/** Polls until `condition` holds; fails with `describe()` after the timeout. */
export async function eventually(
  condition: () => Promise<boolean>,
  describe: () => Promise<string> | string,
  timeoutMs = 60_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out: ${await describe()}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** The stream each posted event belongs in and, per stream, the ids in first-posted order. */
export function expectedStreams(
  posted: readonly { event: ActivityEventInput; id: string }[],
): Map<string, string[]> {
  const streams = new Map<string, string[]>();
  const seen = new Set<string>();
  for (const { event, id } of posted) {
    if (seen.has(id)) continue;
    seen.add(id);
    const streamId = leadStreamId(leadKeyOf(activityEventSchema.parse(event).lead));
    streams.set(streamId, [...(streams.get(streamId) ?? []), id]);
  }
  return streams;
}
