import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../packages/cli/src/index.js';
import { capturedTerminal } from '../../packages/cli/src/test-support/captured-terminal.js';
import { compileRuleset, defaultRuleset } from '../../packages/scoring/src/index.js';
import { KEYS, usePipeline } from '../api/support/pipeline.js';
import { type ApiResponse, call, get } from '../api/support/requests.js';
import { countByLead, DAY, postEvents, untilScored } from '../api/support/seed.js';
import { eventually } from '../eventstore/eventually.js';
import { clicksTimes } from './support/clicks-ruleset.js';
import { activities } from './support/leads.js';
import { leadEvents, seedStoredLeads } from './support/stored-leads.js';

// What a rescoring job's status says when a rebuild, or the publication of another version, comes
// while it runs. A job is held mid-way deterministically: the test locks the first lead of its
// second batch (batches are 1,000 leads in lead id order), so the job's first batch commits and its
// second one waits, holding the job's row, until the test lets go.
const STORED_LEADS = 3_000;
const BATCH = 1_000;
const T = Date.UTC(2026, 6, 10, 8);
const admin = { key: KEYS.admin };
const leadId = (i: number) => `sv-${String(i).padStart(5, '0')}`;
/** Sorts right after the first batch's last lead. Scored live, then left alone: no live scorer waits on it. */
const HELD_LEAD = `${leadId(BATCH - 1)}z`;
const TOTAL_LEADS = STORED_LEADS + 1;

const pipeline = usePipeline({ clock: T + DAY });
let folder: string;
let cliEnv: Record<string, string>;

beforeAll(async () => {
  const leads = Array.from({ length: STORED_LEADS }, (_, i) => ({
    leadId: leadId(i),
    events: leadEvents(leadId(i), T + i * 1_000, 1 + (i % 5)),
  }));
  await seedStoredLeads(pipeline().pool, leads, compileRuleset(defaultRuleset));
  const held = activities(HELD_LEAD, 'email.clicked', 1, T);
  await postEvents(pipeline(), held);
  await untilScored(pipeline(), countByLead(held));
  const url = await pipeline().api.listen({ host: '127.0.0.1', port: 0 });
  cliEnv = { LEADSCORE_URL: url, LEADSCORE_API_KEY: KEYS.admin, LEADSCORE_AUTHOR: 'statuses-test' };
  folder = await mkdtemp(join(tmpdir(), 'leadscore-statuses-'));
}, 120_000);

afterAll(async () => {
  if (folder) await rm(folder, { recursive: true, force: true });
});

/** Locks HELD_LEAD's row until release(): a rescoring batch that reaches it waits. */
async function holdLead(): Promise<{ release(): Promise<void> }> {
  const client = await pipeline().pool.connect();
  await client.query('BEGIN');
  await client.query('SELECT lead_id FROM lead_scores WHERE lead_id = $1 FOR UPDATE', [HELD_LEAD]);
  let released = false;
  return {
    async release() {
      if (released) return;
      released = true;
      await client.query('ROLLBACK');
      client.release();
    },
  };
}

/** The job of `version` once its first batch committed (its second one waits on the held lead). */
async function firstBatchDone(version: number): Promise<string> {
  return eventually(async () => {
    const { rows } = await pipeline().pool.query(
      'SELECT job_id, status, processed_leads::int AS processed FROM rescoring_jobs WHERE ruleset_version = $1',
      [version],
    );
    expect(rows).toEqual([{ job_id: expect.any(String), status: 'running', processed: BATCH }]);
    return rows[0].job_id as string;
  }, 30_000);
}

/** Until `answered()`, or until a statement waits to mark the running job superseded (it waits on its row). */
async function untilAnsweredOrSuperseding(answered: () => boolean): Promise<void> {
  await eventually(async () => {
    if (answered()) return;
    const { rows } = await pipeline().pool.query(
      `SELECT count(*)::int AS waiting FROM pg_stat_activity
        WHERE datname = current_database() AND wait_event_type = 'Lock'
          AND query LIKE '%UPDATE rescoring_jobs SET status = ''superseded''%'`,
    );
    expect(rows[0].waiting).toBeGreaterThan(0);
  }, 30_000);
}

interface Settled<T> {
  readonly promise: Promise<T>;
  done(): boolean;
}

function settled<T>(promise: Promise<T>): Settled<T> {
  let done = false;
  const tracked = promise.finally(() => {
    done = true;
  });
  return { promise: tracked, done: () => done };
}

async function draft(factor: number): Promise<number> {
  const drafted = await call(pipeline().api, 'POST', '/v1/rulesets', {
    ...admin,
    body: { ruleset: clicksTimes(factor), author: 'ops' },
  });
  expect(drafted.status, JSON.stringify(drafted.body)).toBe(201);
  return drafted.body.version;
}

async function completed(jobId: string) {
  return eventually(async () => {
    const job = await get(pipeline().api, `/v1/rescoring/${jobId}`);
    expect(job.body.status).toBe('completed');
    return job.body;
  }, 60_000);
}

async function leadsNotUnder(version: number): Promise<number> {
  const { rows } = await pipeline().pool.query(
    'SELECT count(*)::int AS n FROM lead_scores WHERE ruleset_version <> $1',
    [version],
  );
  return rows[0].n;
}

describe('a rebuild asked for while a job under the active version runs', () => {
  it('is refused (409) while the publication’s job runs, which it neither joins nor stops; that job completes', async () => {
    const version = await draft(2);
    const held = await holdLead();
    let rebuild: Settled<ApiResponse>;
    let publicationJob: string;
    try {
      const published = await call(pipeline().api, 'POST', `/v1/rulesets/${version}/publish`, {
        ...admin,
        body: { author: 'ops' },
      });
      expect(published.status, JSON.stringify(published.body)).toBe(202);
      publicationJob = published.body.job.jobId;
      expect(await firstBatchDone(version)).toBe(publicationJob);
      rebuild = settled(call(pipeline().api, 'POST', '/v1/rescoring', { ...admin, body: { author: 'ops' } }));
      await untilAnsweredOrSuperseding(rebuild.done);
    } finally {
      await held.release();
    }

    const refused = await rebuild.promise;
    expect(refused.status, JSON.stringify(refused.body)).toBe(409);
    expect(refused.body).toMatchObject({
      type: 'urn:leadscore:problem:publication-rescoring-running',
      jobId: publicationJob,
      version,
    });
    expect(await completed(publicationJob)).toMatchObject({
      status: 'completed',
      progress: 1,
      leads: { total: TOTAL_LEADS, remaining: 0 },
    });
    const { rows } = await pipeline().pool.query(
      'SELECT job_id, status FROM rescoring_jobs WHERE ruleset_version = $1',
      [version],
    );
    expect(rows).toEqual([{ job_id: publicationJob, status: 'completed' }]);
    expect(await leadsNotUnder(version)).toBe(0);
  });

  it('leaves `leadscore rules publish` exiting 0 with its version completed, `leadscore replay` saying why it cannot start yet', async () => {
    const file = join(folder, 'clicks-times-3.json');
    await writeFile(file, JSON.stringify(clicksTimes(3)));
    const publisher = capturedTerminal();
    const replayer = capturedTerminal();
    const held = await holdLead();
    let publishing: Promise<number>;
    let replaying: Settled<number>;
    try {
      publishing = main(['rules', 'publish', file], cliEnv, publisher);
      const version = await eventually(async () => {
        const line = publisher.lines.err.find((text) => text.startsWith('drafted version '));
        expect(line).toBeDefined();
        return Number(line!.slice('drafted version '.length));
      });
      await firstBatchDone(version);
      replaying = settled(main(['replay'], cliEnv, replayer));
      // Once the replay follows a job it draws its progress.
      await untilAnsweredOrSuperseding(() => replayer.lines.progress.length > 0 || replaying.done());
    } finally {
      await held.release();
    }

    const [published, replayed] = await Promise.all([publishing, replaying.promise]);
    expect({ published, out: publisher.lines.out }).toEqual({
      published: 0,
      out: [expect.stringMatching(/^version 3 completed: \d+ leads rescored, \d+ changed \(job rsj_/)],
    });
    const jobId = /\(job (rsj_[^)]+)\)/.exec(publisher.lines.out[0]!)![1];
    expect(publisher.lines.progress.at(-1)).toMatch(
      new RegExp(`^\\[#+\\] 100\\.0% \\d+/${TOTAL_LEADS} leads completed$`),
    );
    expect({ replayed, err: replayer.lines.err, out: replayer.lines.out }).toEqual({
      replayed: 1,
      err: [
        `leadscore: 409 A publication is being rescored: version 3 is being published (rescoring job ${jobId}); ` +
          'ask for the rebuild again once that job has completed',
      ],
      out: [],
    });
    expect(await leadsNotUnder(3)).toBe(0);
  });
});

describe('a job superseded by the publication of another version', () => {
  it('says how far it got: progress processed/total, the leads it left, no ETA', async () => {
    const first = await draft(4);
    const second = await draft(5);
    const held = await holdLead();
    let firstJob: string;
    let publishing: Settled<ApiResponse>;
    try {
      const published = await call(pipeline().api, 'POST', `/v1/rulesets/${first}/publish`, {
        ...admin,
        body: { author: 'ops' },
      });
      expect(published.status, JSON.stringify(published.body)).toBe(202);
      firstJob = published.body.job.jobId;
      await firstBatchDone(first);
      publishing = settled(
        call(pipeline().api, 'POST', `/v1/rulesets/${second}/publish`, { ...admin, body: { author: 'ops' } }),
      );
      // The publication waits for the batch in hand, then supersedes the job part-way.
      await untilAnsweredOrSuperseding(publishing.done);
    } finally {
      await held.release();
    }

    const secondPublished = await publishing.promise;
    expect(secondPublished.status, JSON.stringify(secondPublished.body)).toBe(202);
    const job = (await get(pipeline().api, `/v1/rescoring/${firstJob}`)).body;
    expect(job).toMatchObject({ status: 'superseded', etaAt: null, leads: { total: TOTAL_LEADS } });
    expect(job.finishedAt).not.toBeNull();
    expect(job.leads.processed).toBeGreaterThanOrEqual(BATCH);
    expect(job.leads.processed).toBeLessThan(TOTAL_LEADS);
    expect(job.leads.remaining).toBe(TOTAL_LEADS - job.leads.processed);
    expect(job.progress).toBeCloseTo(job.leads.processed / TOTAL_LEADS, 9);

    await completed(secondPublished.body.job.jobId);
    expect(await leadsNotUnder(second)).toBe(0);
  });
});
