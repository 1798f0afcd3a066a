import type pg from 'pg';
import { leadStreamId, type StageChangedMessage } from '../../../packages/contracts/src/index.js';
import { leadStageChangedEventType, readStream } from '../../../packages/eventstore/src/index.js';

/** A lead's LeadStageChanged events as the store holds them, in stream order. */
export async function storedStageChanges(
  pool: pg.Pool,
  leadId: string,
): Promise<{ readonly eventId: string; readonly data: StageChangedMessage }[]> {
  const { events } = await readStream(pool, leadStreamId(leadId));
  return events
    .filter((event) => event.type === leadStageChangedEventType)
    .map((event) => ({ eventId: event.eventId, data: event.data as StageChangedMessage }));
}

/** A lead's row of the stage read model, with its history. */
export async function stageReadModel(pool: pg.Pool, leadId: string) {
  const lead = await pool.query<{
    stage: string;
    since: Date | null;
    next_check_at: Date | null;
    temperature: string;
  }>('SELECT stage, since, next_check_at, temperature FROM lead_stages WHERE lead_id = $1', [leadId]);
  const history = await pool.query<{
    event_id: string;
    from_stage: string;
    to_stage: string;
    changed_at: Date;
  }>(
    'SELECT event_id, from_stage, to_stage, changed_at FROM lead_stage_history WHERE lead_id = $1 ORDER BY stream_position',
    [leadId],
  );
  return { lead: lead.rows[0], history: history.rows };
}

export const moves = (changes: readonly { readonly from: string; readonly to: string }[]) =>
  changes.map((change) => `${change.from}->${change.to}`);
