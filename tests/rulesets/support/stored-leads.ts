import type pg from 'pg';
import { leadStreamId } from '../../../packages/contracts/src/index.js';
import {
  appendToStreams,
  atomically,
  type NewEvent,
  readStreams,
} from '../../../packages/eventstore/src/index.js';
import type { CompiledRuleset } from '../../../packages/scoring/src/index.js';
import { leadActivityFromStore } from '../../../services/scoring/src/engine/lead-activity.js';
import { recomputeLead } from '../../../services/scoring/src/engine/recompute-lead.js';
import { storeScoredBatch } from '../../../services/scoring/src/store/store-scored-batch.js';

const MINUTE = 60_000;

/** Lead `i`'s events: a few clicks and a download, so doubling clicks moves every lead. */
export function leadEvents(leadId: string, start: number, clicks: number): NewEvent[] {
  return [
    ...Array.from({ length: clicks }, (_, k) => ({
      id: `${leadId}-click-${k}`,
      type: 'email.clicked',
      data: { properties: { campaign: 'spring' } },
      occurredAt: new Date(start + k * MINUTE),
    })),
    {
      id: `${leadId}-download`,
      type: 'content.downloaded',
      data: {},
      occurredAt: new Date(start + clicks * MINUTE),
    },
  ];
}

/**
 * Stores leads' events and their lead_scores records as the scoring service would have written
 * them under `ruleset`, without the Kafka round trip: a large history in seconds, for rescoring.
 */
export async function seedStoredLeads(
  pool: pg.Pool,
  leads: readonly { readonly leadId: string; readonly events: readonly NewEvent[] }[],
  ruleset: CompiledRuleset,
  batchSize = 1_000,
): Promise<void> {
  for (let i = 0; i < leads.length; i += batchSize) {
    const batch = leads.slice(i, i + batchSize);
    await appendToStreams(
      pool,
      batch.map((lead) => ({ streamId: leadStreamId(lead.leadId), events: lead.events })),
    );
    const streams = await readStreams(
      pool,
      batch.map((lead) => leadStreamId(lead.leadId)),
    );
    const records = batch.flatMap((lead) => {
      const events = (streams.get(leadStreamId(lead.leadId)) ?? []).map((event) =>
        leadActivityFromStore(event, lead.leadId),
      );
      const result = recomputeLead(undefined, events, undefined, ruleset);
      return result === undefined ? [] : [result.record];
    });
    await atomically(pool, 'seed lead scores', (client) => storeScoredBatch(client, records, []));
  }
}
