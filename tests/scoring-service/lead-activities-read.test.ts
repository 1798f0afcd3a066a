/**
 * forEachLeadActivities (the rescoring job's events read) hands each event's time over as epoch ms
 * computed by the server: it must be the millisecond the driver's own Date would give for the
 * stored timestamp, microseconds cut, before 1970 as after, in any session time zone; and the
 * events come in stream order with their positions exact.
 */

import type pg from 'pg';
import { describe, expect, it } from 'vitest';
import { leadStreamId } from '../../packages/contracts/src/index.js';
import type { LeadActivity } from '../../services/scoring/src/engine/lead-activity.js';
import { forEachLeadActivities } from '../../services/scoring/src/rescoring/read-leads-activities.js';
import { useMigratedDatabase } from '../support/migrated-database.js';

const { pool } = useMigratedDatabase();

const TIMES = [
  '2026-03-01 12:34:56.789999+00',
  '2026-03-01 12:34:56.789+00',
  '2026-03-01 12:34:56.000001+00',
  '1969-12-31 23:59:59.999500+00',
  '1900-01-01 00:00:00.000001+00',
  '2099-12-31 23:59:59.999999+00',
];

async function storeEvents(leadId: string): Promise<void> {
  const streamId = leadStreamId(leadId);
  await pool().query(
    'INSERT INTO eventstore.streams (stream_id, version, first_occurred_at) VALUES ($1, $2, $3::timestamptz)',
    // The earliest of TIMES: written in one format, they sort as text.
    [streamId, TIMES.length, [...TIMES].sort()[0]],
  );
  // Inserted last position first: the read must order by stream position, not by insertion.
  for (let i = TIMES.length - 1; i >= 0; i -= 1) {
    await pool().query(
      `INSERT INTO eventstore.messages (stream_id, stream_position, event_id, type, data, occurred_at)
       VALUES ($1, $2, $3, 'email.opened', $4, $5::timestamptz)`,
      [streamId, i + 1, `${leadId}-e${i + 1}`, JSON.stringify({ properties: { n: i } }), TIMES[i]],
    );
  }
}

/** The events the read hands over for one lead, checking it is visited exactly once. */
async function readLead(client: pg.ClientBase, leadId: string): Promise<LeadActivity[]> {
  const visits: [string, LeadActivity[]][] = [];
  await forEachLeadActivities(client, [leadId], (visited, events) => visits.push([visited, events]));
  expect(visits.map(([visited]) => visited)).toEqual([leadId]);
  return visits[0]![1];
}

describe("the rescoring job's read of a lead's events", () => {
  it.each(['UTC', 'Asia/Kathmandu', 'America/St_Johns'])(
    'gives the times the driver would, in stream order, with session time zone %s',
    async (timeZone) => {
      const leadId = `times-${timeZone.replace('/', '-')}`;
      await storeEvents(leadId);
      const client = await pool().connect();
      try {
        await client.query(`SET TIME ZONE '${timeZone}'`);
        const driverTimes = await client.query<{ occurred_at: Date }>(
          'SELECT occurred_at FROM eventstore.messages WHERE stream_id = $1 ORDER BY stream_position',
          [leadStreamId(leadId)],
        );
        const read = await readLead(client, leadId);

        expect(read.map((event) => event.eventId)).toEqual(TIMES.map((_, i) => `${leadId}-e${i + 1}`));
        expect(read.map((event) => event.occurredAt)).toEqual(
          driverTimes.rows.map((row) => row.occurred_at.getTime()),
        );
        expect(read.map((event) => event.data)).toEqual(TIMES.map((_, i) => ({ properties: { n: i } })));
        const positions = read.map((event) => event.globalPosition);
        expect(positions.every((position) => typeof position === 'bigint')).toBe(true);
      } finally {
        client.release();
      }
    },
  );
});
