import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../packages/cli/src/index.js';
import { SERVICE_NAMES } from '../../packages/platform/src/index.js';
import { freeLoopbackPortRun } from '../setup/free-port.js';
import { ScriptProcess, waitUntilAnswering } from '../support/service-process.js';

// What a newcomer does after `npm start`: post the seed journey (`pnpm demo`) and watch the lead
// move through the funnel. Everything in one process on PGlite and the in-process bus, the only
// place those stand in for PostgreSQL and Kafka: the point is that the quickstart itself works.
describe('the quickstart with the demo journey', () => {
  let home: string;
  let env: Record<string, string>;
  let quickstart: ScriptProcess;

  beforeAll(async () => {
    home = await mkdtemp(join(tmpdir(), 'leadscore-quickstart-'));
    env = {
      LEADSCORE_HOME: home,
      LEADSCORE_PORT_BASE: String(await freeLoopbackPortRun(SERVICE_NAMES.length)),
    };
    quickstart = new ScriptProcess('services/quickstart/src/main.ts', env);
    await waitUntilAnswering(`http://127.0.0.1:${env.LEADSCORE_PORT_BASE}/healthz`, quickstart, 120_000);
  }, 150_000);

  afterAll(async () => {
    await quickstart?.stop();
    await rm(home, { recursive: true, force: true });
  });

  it('scores the journey and takes the lead from lead to mql, sql and prospect', async () => {
    // The demo waits for the last stage up to DEMO_TIMEOUT_MS; a suite on 2 cores needs longer.
    const demo = new ScriptProcess('scripts/demo.ts', { ...env, DEMO_TIMEOUT_MS: '100000' });
    const exit = await demo.waitForExit(120_000);
    const { stdout, stderr } = demo.output;

    expect(exit.code, stderr).toBe(0);
    expect(stdout).toMatch(/total [\d.]+ = engagement [\d.]+ \+ fit 35 +grade A, hot/);
    const stageChanges = [...stdout.matchAll(/(\w+) +-> (\w+) +(threshold|two-way-signal)/g)].map(
      ([, from, to]) => `${from}->${to}`,
    );
    expect(stageChanges).toEqual(['lead->mql', 'mql->sql', 'sql->prospect']);
  }, 150_000);

  it('the CLI finds the quickstart and its key by itself (no LEADSCORE_URL, no LEADSCORE_API_KEY)', async () => {
    const err: string[] = [];
    const terminal = {
      out: () => {},
      err: (text: string) => err.push(text),
      progress: () => {},
      endProgress: () => {},
    };
    // A 404 needs the right port and an accepted key: a wrong port cannot connect, no key is a 401.
    expect(await main(['leads', 'get', 'em_nobody'], env, terminal)).toBe(1);
    expect(err[0]).toMatch(/^leadscore: 404 /);
  });
});
