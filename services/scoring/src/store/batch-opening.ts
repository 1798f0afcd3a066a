import { type Opening, sessionStatements } from '@leadscore/eventstore';
import pg from 'pg';
import type { LeadScoreRecord } from '../engine/lead-record.js';
import { unpackRescoringBatchesSql } from '../rescoring/rescoring-outbox.js';
import { type LeadScoreRow, lockedRecordsSql, recordsByLead } from './lead-scores.js';
import {
  type OutboxRow,
  type PendingPublication,
  pendingPublicationsSql,
  toPendingPublication,
} from './scoring-outbox.js';

// The batch's leads as the one parameter: a JSON array, which an escaped literal carries safely.
const batchLeads = 'ARRAY(SELECT jsonb_array_elements_text($1))';

const readStatements = {
  scoring_batch_unpack: `(jsonb) AS ${unpackRescoringBatchesSql(batchLeads)}`,
  scoring_batch_pending: `(jsonb) AS ${pendingPublicationsSql(batchLeads)}`,
  scoring_batch_records: `(jsonb) AS ${lockedRecordsSql(batchLeads)}`,
};

const prepareReads = sessionStatements('scoring-batch', readStatements);

/** What a scoring batch's transaction reads before it folds anything. */
export interface BatchReads {
  /** Messages of the batch's leads an earlier attempt left in the outbox, in outbox order. */
  readonly leftovers: PendingPublication[];
  /** The batch's leads' records, locked until the transaction ends. */
  readonly records: Map<string, LeadScoreRecord>;
}

/**
 * The opening of a scoring batch's transaction: `first` (statements without parameters, such as
 * the ruleset switch lock and catalog version), then the unpacking of rescoring batches that may
 * hold messages of these leads (see rescoring-outbox.ts: almost always none), then the batch's two
 * reads, the outbox's left-overs and then the locked records, in the order a batch always took
 * them. Sent with BEGIN
 * as one simple query (atomicallyOpenedWith): one round trip where there were up to five. The reads
 * are prepared once per connection (so never parsed nor planned again) and executed with the lead
 * ids as an escaped JSON literal; each statement still takes its own snapshot, so the records read
 * after a lock wait are those the lock's previous holder committed.
 */
export function batchOpening(first: string | undefined, leadIds: readonly string[]): Opening {
  return async (client) => {
    await prepareReads(client);
    const leads = pg.escapeLiteral(JSON.stringify(leadIds));
    const reads = [
      `EXECUTE scoring_batch_unpack (${leads})`,
      `EXECUTE scoring_batch_pending (${leads})`,
      `EXECUTE scoring_batch_records (${leads})`,
    ].join('; ');
    return first === undefined ? reads : `${first}; ${reads}`;
  };
}

/** The batch's reads from the results of its opening: its last two. */
export function batchReads(opened: readonly pg.QueryResult[]): BatchReads {
  const pending = opened.at(-2);
  const records = opened.at(-1);
  if (pending === undefined || records === undefined)
    throw new Error('batchReads needs the results of batchOpening');
  return {
    leftovers: (pending.rows as OutboxRow[]).map(toPendingPublication),
    records: recordsByLead(records.rows as LeadScoreRow[]),
  };
}
