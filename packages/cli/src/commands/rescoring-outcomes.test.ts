import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { ApiClient } from '../api-client.js';
import type { RescoringJobView } from '../follow-job.js';
import type { Terminal } from '../terminal.js';
import { capturedTerminal } from '../test-support/captured-terminal.js';
import { type CommandContext, publishRules, replay } from './rules.js';

const example = fileURLToPath(new URL('../../examples/b2b.yaml', import.meta.url));

function jobView(
  overrides: Partial<Omit<RescoringJobView, 'leads'>> & { leads?: Partial<RescoringJobView['leads']> },
): RescoringJobView {
  const { leads, ...rest } = overrides;
  return {
    jobId: 'rsj_pub',
    rulesetVersion: 11,
    rebuild: false,
    status: 'running',
    progress: 0,
    etaAt: null,
    ...rest,
    leads: { total: 40_007, processed: 0, rescored: 0, changed: 0, ...leads },
  };
}

/** An API that drafts version 11, publishes it or answers a rebuild with `started`, then `polls`. */
function fakeApi(started: RescoringJobView, polls: RescoringJobView[]) {
  const requests: string[] = [];
  const client: ApiClient = {
    get: async <T>(path: string) => {
      requests.push(`GET ${path}`);
      return (polls.shift() ?? polls.at(-1)) as T;
    },
    post: async <T>(path: string) => {
      requests.push(`POST ${path}`);
      return (path === '/v1/rescoring' ? started : { version: 11, job: started }) as T;
    },
    create: async <T>(path: string) => {
      requests.push(`POST ${path}`);
      return { created: true, body: { version: 11, status: 'draft' } as T };
    },
  };
  return { client, requests };
}

const context = (client: ApiClient, terminal: Terminal): CommandContext => ({
  client,
  terminal,
  author: 'ops',
  pollMs: 0,
});

describe('leadscore rules publish, when its job ends', () => {
  it('exits 0 once its job completed, even after a rebuild joined it', async () => {
    const completed = jobView({
      status: 'completed',
      progress: 1,
      leads: { processed: 40_007, rescored: 36_400, changed: 10_867 },
    });
    const api = fakeApi(jobView({}), [jobView({ progress: 0.1, leads: { processed: 4_000 } }), completed]);
    const terminal = capturedTerminal();
    expect(await publishRules(example, context(api.client, terminal))).toBe(0);
    expect(terminal.lines.out).toEqual([
      'version 11 completed: 36400 leads rescored, 10867 changed (job rsj_pub)',
    ]);
  });

  it('exits 1 when another version was published meanwhile, saying how far its job got', async () => {
    const superseded = jobView({
      status: 'superseded',
      progress: 4_000 / 40_007,
      leads: { processed: 4_000, rescored: 4_000, changed: 1_200 },
    });
    const api = fakeApi(jobView({}), [superseded]);
    const terminal = capturedTerminal();
    expect(await publishRules(example, context(api.client, terminal))).toBe(1);
    expect(terminal.lines.out).toEqual([
      'version 11 superseded: another version was published while it ran; stopped after 4000 of 40007 leads, ' +
        '4000 rescored, 1200 changed (job rsj_pub)',
    ]);
    expect(terminal.lines.progress.at(-1)).toMatch(/^\[###-+\] {2}10\.0% 4000\/40007 leads superseded$/);
  });
});

describe('leadscore replay', () => {
  it('follows the rebuild it is answered with, and exits 0 when it completes', async () => {
    const running = jobView({
      jobId: 'rsj_rebuild',
      rebuild: true,
      progress: 0.1,
      leads: { processed: 4_000 },
    });
    const completed = {
      ...running,
      status: 'completed',
      progress: 1,
      leads: { ...running.leads, processed: 40_007, rescored: 40_007, changed: 10_867 },
    };
    const api = fakeApi(running, [completed]);
    const terminal = capturedTerminal();
    expect(await replay(context(api.client, terminal))).toBe(0);
    expect(api.requests).toEqual(['POST /v1/rescoring', 'GET /v1/rescoring/rsj_rebuild']);
    expect(terminal.lines.err).toEqual([]);
    expect(terminal.lines.out).toEqual([
      'replay under version 11 completed: 40007 leads, 10867 changed (job rsj_rebuild)',
    ]);
  });

  it('exits 1 when another version was published while its rebuild ran', async () => {
    const rebuild = jobView({ jobId: 'rsj_rebuild', rebuild: true });
    const superseded = { ...rebuild, status: 'superseded', progress: 0.25 };
    const api = fakeApi(rebuild, [
      { ...superseded, leads: { ...superseded.leads, processed: 10_000, rescored: 10_000, changed: 0 } },
    ]);
    const terminal = capturedTerminal();
    expect(await replay(context(api.client, terminal))).toBe(1);
    expect(terminal.lines.err).toEqual([]);
    expect(terminal.lines.out).toEqual([
      'replay under version 11 superseded: another version was published while it ran; stopped after 10000 ' +
        'of 40007 leads, 10000 rescored, 0 changed (job rsj_rebuild)',
    ]);
  });
});
