import type { StageChangedMessage } from '@leadscore/contracts';
import type { AppendedEvent } from '@leadscore/eventstore';
import type pg from 'pg';

/** One history row per appended stage change, at its stream position. */
export async function insertStageHistory(
  client: pg.ClientBase,
  changes: readonly { readonly message: StageChangedMessage; readonly appended: AppendedEvent }[],
): Promise<void> {
  if (changes.length === 0) return;
  const column = <T>(pick: (change: StageChangedMessage) => T) => changes.map(({ message }) => pick(message));
  await client.query(
    `INSERT INTO lead_stage_history (event_id, lead_id, stream_position, from_stage, to_stage, changed_at, reason,
                                     triggering_event_id, actor, note, engagement, fit, total, grade, temperature,
                                     ruleset_id, ruleset_version)
     SELECT * FROM unnest($1::text[], $2::text[], $3::bigint[], $4::text[], $5::text[], $6::timestamptz[], $7::text[],
                          $8::text[], $9::text[], $10::text[], $11::float8[], $12::float8[], $13::float8[], $14::text[],
                          $15::text[], $16::text[], $17::int[])
     ON CONFLICT (event_id) DO NOTHING`,
    [
      column((c) => c.id),
      column((c) => c.leadId),
      changes.map(({ appended }) => appended.streamPosition),
      column((c) => c.from),
      column((c) => c.to),
      column((c) => c.occurredAt),
      column((c) => c.reason),
      column((c) => c.triggeringEventId),
      column((c) => c.actor ?? null),
      column((c) => c.note ?? null),
      column((c) => c.score.engagement),
      column((c) => c.score.fit),
      column((c) => c.score.total),
      column((c) => c.grade),
      column((c) => c.score.temperature),
      column((c) => c.rulesetId),
      column((c) => c.rulesetVersion),
    ],
  );
}
