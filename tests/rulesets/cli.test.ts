import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../packages/cli/src/index.js';
import { capturedTerminal } from '../../packages/cli/src/test-support/captured-terminal.js';
import { knownActivityTypes } from '../../packages/contracts/src/index.js';
import { defaultRuleset } from '../../packages/scoring/src/index.js';
import { KEYS, usePipeline } from '../api/support/pipeline.js';
import { get } from '../api/support/requests.js';
import { countByLead, DAY, postEvents, untilScored } from '../api/support/seed.js';
import { activities } from './support/leads.js';

const T = Date.UTC(2026, 8, 1, 9);
const pipeline = usePipeline({ clock: T + DAY });
let env: Record<string, string>;
let folder: string;

beforeAll(async () => {
  const url = await pipeline().api.listen({ host: '127.0.0.1', port: 0 });
  env = { LEADSCORE_URL: url, LEADSCORE_API_KEY: KEYS.admin, LEADSCORE_AUTHOR: 'cli-test' };
  const events = [
    ...activities('cli-lead', 'email.clicked', 9, T),
    ...activities('cli-other', 'page.visited', 2, T),
  ];
  await postEvents(pipeline(), events);
  await untilScored(pipeline(), countByLead(events));
  folder = await mkdtemp(join(tmpdir(), 'leadscore-cli-'));
});

afterAll(async () => {
  // Unset when beforeAll failed before creating it.
  if (folder) await rm(folder, { recursive: true, force: true });
});

async function rulesetFile(name: string, clickPoints: number): Promise<string> {
  const document = structuredClone(defaultRuleset);
  document.engagement.find((rule) => rule.id === 'email-clicked')!.points = clickPoints;
  const path = join(folder, name);
  await writeFile(path, JSON.stringify(document));
  return path;
}

describe('leadscore CLI', () => {
  it('rules simulate drafts the file and prints the backtest', async () => {
    const terminal = capturedTerminal();
    expect(await main(['rules', 'simulate', await rulesetFile('sim.json', 6)], env, terminal)).toBe(0);
    expect(terminal.lines.out[0]).toBe('version 2 against 1 over 2 leads');
    // 9 clicks: 27 under version 1, 54 under the file: one lead moves up to mql.
    expect(terminal.lines.out).toContain('  lead->mql: 1');
  });

  it('rules simulate again reuses the draft of an unchanged file', async () => {
    const terminal = capturedTerminal();
    expect(await main(['rules', 'simulate', await rulesetFile('sim-again.json', 6)], env, terminal)).toBe(0);
    expect(terminal.lines.err).toContain('version 2: an equal draft was already stored');
    expect(terminal.lines.out[0]).toBe('version 2 against 1 over 2 leads');
  });

  it('rules publish drafts, publishes and follows the rescoring to its end with a progress bar', async () => {
    const terminal = capturedTerminal();
    expect(await main(['rules', 'publish', await rulesetFile('pub.json', 7)], env, terminal)).toBe(0);
    expect(terminal.lines.err).toContain('drafted version 3');
    expect(terminal.lines.out.at(-1)).toMatch(/^version 3 completed: 2 leads rescored, 1 changed \(job rsj_/);
    expect(terminal.lines.progress.at(-1)).toMatch(/^\[#+\] 100\.0% 2\/2 leads completed$/);
    const { rows } = await pipeline().pool.query(
      `SELECT ruleset_version FROM lead_scores WHERE lead_id = 'cli-lead'`,
    );
    expect(rows[0].ruleset_version).toBe(3);
  });

  it('rules publish of a file whose rules are already active publishes nothing', async () => {
    const terminal = capturedTerminal();
    expect(await main(['rules', 'publish', await rulesetFile('pub-again.json', 7)], env, terminal)).toBe(0);
    expect(terminal.lines.err).toEqual(['version 3: an equal version is active']);
    expect(terminal.lines.out).toEqual(['version 3 is already active with these rules: nothing to publish']);
    const { rows } = await pipeline().pool.query('SELECT count(*)::int AS jobs FROM rescoring_jobs');
    expect(rows[0].jobs).toBe(1);
  });

  it('leads get prints the lead; replay rebuilds every lead under the active version', async () => {
    const lead = capturedTerminal();
    expect(await main(['leads', 'get', 'cli-lead'], env, lead)).toBe(0);
    expect(JSON.parse(lead.lines.out.join('\n'))).toMatchObject({ id: 'cli-lead' });
    const replay = capturedTerminal();
    expect(await main(['replay'], env, replay)).toBe(0);
    expect(replay.lines.out.at(-1)).toMatch(/^replay under version 3 completed: 2 leads, 0 changed/);
  });

  it('prints every problem of an invalid file by path and exits 1, and publishes nothing of it', async () => {
    const path = join(folder, 'bad.json');
    await writeFile(
      path,
      JSON.stringify({ ...defaultRuleset, engagement: [{ id: 'x', event: 'a', points: 'one' }] }),
    );
    const local = capturedTerminal();
    expect(await main(['rules', 'validate', path], env, local)).toBe(1);
    const unknownType = `"a" is not an event type the webhook accepts: use one of ${knownActivityTypes.join(', ')}, or custom.<name>`;
    expect(local.lines.err).toEqual([
      `${path}: engagement[0].event: ${unknownType}`,
      `${path}: engagement[0].points: Invalid input: expected number, received string`,
    ]);
    const versions = async () => (await get(pipeline().api, '/v1/rulesets', KEYS.admin)).body.versions.length;
    const before = await versions();
    for (const command of ['simulate', 'publish']) {
      const refused = capturedTerminal();
      expect(await main(['rules', command, path], env, refused)).toBe(1);
      expect(refused.lines.err).toEqual(local.lines.err);
    }
    expect(await versions()).toBe(before);
    const missing = capturedTerminal();
    expect(await main(['leads', 'get', 'nobody'], env, missing)).toBe(1);
    expect(missing.lines.err[0]).toMatch(/^leadscore: 404 /);
  });
});
