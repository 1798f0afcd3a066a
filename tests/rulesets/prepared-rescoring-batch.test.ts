import { expect, it } from 'vitest';
import { leadStreamId } from '../../packages/contracts/src/index.js';
import { atomically, readStream } from '../../packages/eventstore/src/index.js';
import { draftRuleset, publishRuleset } from '../../packages/rulesets/src/index.js';
import { compileRuleset, foldEvents, scoreEvents } from '../../packages/scoring/src/index.js';
import { prepareBatch } from '../../services/scoring/src/rescoring/prepare-batch.js';
import { rescoreNextBatch } from '../../services/scoring/src/rescoring/rescore-batch.js';
import { loadLeadScores } from '../../services/scoring/src/store/lead-scores.js';
import { clicksTimes } from './support/clicks-ruleset.js';
import { storedScoringEvents } from './support/leads.js';
import { useStoredLeadsForRescoring } from './support/rescoring-fixture.js';

// A batch prepared ahead of its transaction, then overtaken before it commits: the live scorer
// rescores one lead itself (its row moves) and another lead gets an event the scorer has not
// consumed yet. Neither event may be lost or counted twice.
const T = Date.UTC(2026, 5, 1, 9);
const leadIds = ['appended', 'moved', 'quiet'];
const doubled = clicksTimes(2);
const fixture = useStoredLeadsForRescoring(leadIds, T, (i) => 2 + i);

it('a prepared batch overtaken by live scoring leaves every lead equal to a from-scratch fold under the new version', async () => {
  const pool = fixture.pool();
  const draft = await draftRuleset(pool, { document: doubled, author: 'test', comment: '' });
  const { job } = await publishRuleset(pool, { version: draft.version, author: 'test', comment: '' });
  const context = { pool, rulesets: fixture.rulesets, topics: fixture.names, batchSize: 10, now: Date.now };
  const prepared = await prepareBatch(context, job, null);
  expect([...prepared.leads.keys()]).toEqual(leadIds);

  const late = T + 3_600_000;
  await fixture.scoreLive([await fixture.appendClick('moved', late)]);
  const unscored = await fixture.appendClick('appended', late);
  const outcome = await rescoreNextBatch(context, prepared);
  await fixture.scoreLive([unscored]);

  // 'moved' was rescored by the scorer under the new version; the job leaves it alone.
  expect(outcome.batch).toMatchObject({
    processedLeads: 3,
    rescoredLeads: 2,
    skippedLeads: 1,
    finished: true,
  });
  const ruleset = compileRuleset({ ...doubled, version: draft.version });
  const records = await atomically(pool, 'read the records', (client) => loadLeadScores(client, leadIds));
  for (const leadId of leadIds) {
    const events = await storedScoringEvents(pool, leadId);
    const latest = Math.max(...events.map((event) => event.occurredAt));
    const record = records.get(leadId)!;
    expect(record.rulesetVersion, leadId).toBe(draft.version);
    expect(record.state, leadId).toEqual(foldEvents(events, ruleset));
    expect(record.view.total, leadId).toBe(scoreEvents(events, ruleset, latest).total);
    const { events: stored } = await readStream(pool, leadStreamId(leadId));
    expect(record.lastGlobalPosition, leadId).toBe(stored.at(-1)!.globalPosition);
  }
});

it('a prepared batch whose page another instance committed first is not used: the batch takes the page after the new checkpoint', async () => {
  const pool = fixture.pool();
  const draft = await draftRuleset(pool, { document: clicksTimes(3), author: 'test', comment: '' });
  const { job } = await publishRuleset(pool, { version: draft.version, author: 'test', comment: '' });
  const context = { pool, rulesets: fixture.rulesets, topics: fixture.names, batchSize: 1, now: Date.now };
  const prepared = await prepareBatch(context, job, null);
  expect([...prepared.leads.keys()]).toEqual(['appended']);

  // Another instance runs the job's first batch before this one's transaction.
  const elsewhere = await rescoreNextBatch(context);
  expect(elsewhere.batch?.checkpointLeadId).toBe('appended');
  const outcome = await rescoreNextBatch(context, prepared);
  expect(outcome.batch).toMatchObject({ processedLeads: 1, rescoredLeads: 1, checkpointLeadId: 'moved' });
  expect(outcome.job).toMatchObject({ processedLeads: 2, rescoredLeads: 2, checkpointLeadId: 'moved' });
  // Left unpublished by the other instance's batch (this test publishes nothing), then its own.
  expect(outcome.pending.map((publication) => publication.leadId).at(-1)).toBe('moved');

  const last = await rescoreNextBatch(context);
  expect(last.job).toMatchObject({ status: 'running', processedLeads: 3, rescoredLeads: 3 });
  const done = await rescoreNextBatch(context);
  expect(done.job).toMatchObject({ status: 'completed', processedLeads: 3, rescoredLeads: 3 });
});
