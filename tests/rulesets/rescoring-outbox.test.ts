/**
 * A rescoring batch stores its messages as one rescoring_outbox row (services/scoring/src/
 * rescoring/rescoring-outbox.ts). When its publish does not happen (a crash, a broker outage) the
 * messages must still all be published, each lead's before anything newer of that lead: by the
 * live scorer for the leads it scores next, and by the job's next batch for the others.
 */
import { expect, it } from 'vitest';
import { draftRuleset, publishRuleset } from '../../packages/rulesets/src/index.js';
import { rescoreNextBatch } from '../../services/scoring/src/rescoring/rescore-batch.js';
import {
  deletePublications,
  type PendingPublication,
} from '../../services/scoring/src/store/scoring-outbox.js';
import { clicksTimes } from './support/clicks-ruleset.js';
import { useStoredLeadsForRescoring } from './support/rescoring-fixture.js';

const T = Date.UTC(2026, 5, 1, 9);
const BATCH = 10;
const leadIds = Array.from({ length: 25 }, (_, i) => `lead-${String(i).padStart(2, '0')}`);
const fixture = useStoredLeadsForRescoring(leadIds, T, () => 2);

async function outboxes() {
  const { rows } = await fixture.pool().query<{ rows: number; batches: number }>(
    `SELECT (SELECT count(*)::int FROM scoring_outbox) AS rows,
            (SELECT count(*)::int FROM rescoring_outbox) AS batches`,
  );
  return rows[0]!;
}

const leadsOf = (pending: readonly PendingPublication[]) => pending.map(({ leadId }) => leadId);
const isRescore = (publication: PendingPublication) => JSON.parse(publication.value).rescore !== undefined;

it('publishes every message of a batch whose publish never happened, each lead in order', async () => {
  const pool = fixture.pool();
  const draft = await draftRuleset(pool, { document: clicksTimes(2), author: 'test', comment: '' });
  await publishRuleset(pool, { version: draft.version, author: 'test', comment: '' });
  const context = {
    pool,
    rulesets: fixture.rulesets,
    topics: fixture.names,
    batchSize: BATCH,
    now: Date.now,
  };

  // The first batch commits; its publish never happens. Its ten messages are ONE row.
  const first = await rescoreNextBatch(context);
  expect(leadsOf(first.pending)).toEqual(leadIds.slice(0, BATCH));
  expect(first.pending.every(isRescore)).toBe(true);
  expect(new Set(first.pending.map(({ entry }) => `${entry.table}:${entry.id}`)).size).toBe(1);
  expect(await outboxes()).toEqual({ rows: 0, batches: 1 });

  // A live batch of lead-03 publishes its rescore first, then its new change.
  const live = await fixture.scoreLive([await fixture.appendClick('lead-03', T + 3_600_000)]);
  expect(live.map((p) => [p.leadId, isRescore(p)])).toEqual([
    ['lead-03', true],
    ['lead-03', false],
  ]);
  expect(live[0]!.value).toBe(first.pending[3]!.value);
  // The batch was unpacked: the nine other leads' messages wait in scoring_outbox.
  expect(await outboxes()).toEqual({ rows: 11, batches: 0 });
  await deletePublications(pool, live);

  // The job's next batch publishes them first, then its own.
  const second = await rescoreNextBatch(context);
  expect(leadsOf(second.pending)).toEqual([
    ...leadIds.slice(0, BATCH).filter((leadId) => leadId !== 'lead-03'),
    ...leadIds.slice(BATCH, 2 * BATCH),
  ]);
  expect(second.pending.map(({ value }) => value).slice(0, 3)).toEqual(
    [0, 1, 2].map((i) => first.pending[i]!.value),
  );
  await deletePublications(pool, second.pending);
  expect(await outboxes()).toEqual({ rows: 0, batches: 0 });

  // A batch left whole is published by the next batch as it was stored.
  const third = await rescoreNextBatch(context);
  expect(third.batch?.finished).toBe(true);
  expect(leadsOf(third.pending)).toEqual(leadIds.slice(2 * BATCH));
  const after = await rescoreNextBatch(context);
  expect(after.pending.map(({ value }) => value)).toEqual(third.pending.map(({ value }) => value));
  await deletePublications(pool, after.pending);
  expect(await outboxes()).toEqual({ rows: 0, batches: 0 });
});
