import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from './main.js';
import { capturedTerminal } from './test-support/captured-terminal.js';

// An HTTP server standing where the CLI looks: it records what arrives and answers with a lead.
let server: Server;
let port: number;
let home: string;
const requests: { url: string | undefined; headers: IncomingHttpHeaders }[] = [];
const leadAnswer = { status: 200, type: 'application/json', body: '{"id":"lead-1"}' };
/** What the server answers next; a lead unless a test says otherwise. */
let answer = leadAnswer;

beforeAll(async () => {
  server = createServer((request, response) => {
    requests.push({ url: request.url, headers: request.headers });
    response.writeHead(answer.status, { 'content-type': answer.type }).end(answer.body);
    answer = leadAnswer;
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
  home = await mkdtemp(join(tmpdir(), 'leadscore-cli-home-'));
  await writeFile(join(home, 'api-key'), 'lsq_local\n');
});

afterAll(async () => {
  await new Promise((resolve) => server?.close(resolve));
  if (home) await rm(home, { recursive: true, force: true });
});

describe('leadscore CLI target', () => {
  it('without LEADSCORE_URL talks to the quickstart at LEADSCORE_PORT_BASE with the key it keeps', async () => {
    const terminal = capturedTerminal();
    const env = { LEADSCORE_PORT_BASE: String(port), LEADSCORE_HOME: home };
    expect(await main(['leads', 'get', 'lead-1'], env, terminal)).toBe(0);
    expect(JSON.parse(terminal.lines.out.join('\n'))).toEqual({ id: 'lead-1' });
    expect(requests.at(-1)).toMatchObject({
      url: '/v1/leads/lead-1',
      headers: { authorization: 'Bearer lsq_local' },
    });
  });

  it('prefers LEADSCORE_API_KEY to the quickstart key', async () => {
    const env = { LEADSCORE_PORT_BASE: String(port), LEADSCORE_HOME: home, LEADSCORE_API_KEY: 'given' };
    expect(await main(['leads', 'get', 'lead-1'], env, capturedTerminal())).toBe(0);
    expect(requests.at(-1)?.headers.authorization).toBe('Bearer given');
  });

  it('never sends the quickstart key to the instance LEADSCORE_URL names', async () => {
    const env = { LEADSCORE_URL: `http://127.0.0.1:${port}`, LEADSCORE_HOME: home };
    expect(await main(['leads', 'get', 'lead-1'], env, capturedTerminal())).toBe(0);
    expect(requests.at(-1)?.headers.authorization).toBeUndefined();
  });

  it('says where it looked when nothing answers there', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const freePort = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));

    const terminal = capturedTerminal();
    expect(await main(['replay'], { LEADSCORE_URL: `http://127.0.0.1:${freePort}` }, terminal)).toBe(1);
    expect(terminal.lines.err).toEqual([
      `leadscore: cannot reach http://127.0.0.1:${freePort} (connect ECONNREFUSED 127.0.0.1:${freePort}): is leadscore running there? (npm start, or set LEADSCORE_URL)`,
    ]);
  });
});

describe('leadscore CLI answers', () => {
  it('keeps the path of LEADSCORE_URL, as behind a proxy that serves the API under one', async () => {
    for (const base of ['/leadscore/api', '/leadscore/api/']) {
      const env = { LEADSCORE_URL: `http://127.0.0.1:${port}${base}`, LEADSCORE_API_KEY: 'given' };
      expect(await main(['leads', 'get', 'lead-1'], env, capturedTerminal())).toBe(0);
      expect(requests.at(-1)?.url).toBe('/leadscore/api/v1/leads/lead-1');
    }
  });

  it('says an answer that is no JSON did not come from a leadscore API, with its status', async () => {
    answer = { status: 502, type: 'text/html', body: '<html><body>Bad Gateway</body></html>' };
    const terminal = capturedTerminal();
    const env = { LEADSCORE_URL: `http://127.0.0.1:${port}`, LEADSCORE_API_KEY: 'given' };
    expect(await main(['leads', 'get', 'lead-1'], env, terminal)).toBe(1);
    expect(terminal.lines.err).toEqual([
      `leadscore: http://127.0.0.1:${port}/v1/leads/lead-1 answered 502 Bad Gateway with text/html, not JSON: is LEADSCORE_URL a leadscore API?`,
    ]);
  });

  it("prints each field of a validation problem once, not again in the problem's detail", async () => {
    answer = {
      status: 400,
      type: 'application/problem+json',
      body: JSON.stringify({
        title: 'Request is invalid',
        detail: 'id: must be a word; limit: too big',
        errors: [
          { in: 'params', path: 'id', message: 'must be a word' },
          { in: 'querystring', path: 'limit', message: 'too big' },
        ],
      }),
    };
    const terminal = capturedTerminal();
    const env = { LEADSCORE_URL: `http://127.0.0.1:${port}`, LEADSCORE_API_KEY: 'given' };
    expect(await main(['leads', 'get', 'lead-1'], env, terminal)).toBe(1);
    expect(terminal.lines.err).toEqual([
      'leadscore: 400 Request is invalid',
      '  id: must be a word',
      '  limit: too big',
    ]);
  });

  it('names the variable when LEADSCORE_URL or LEADSCORE_PORT_BASE cannot be used, and sends nothing', async () => {
    const sent = requests.length;
    for (const [env, message] of [
      [
        { LEADSCORE_URL: 'not-a-url' },
        'LEADSCORE_URL must be an http or https URL, such as http://127.0.0.1:3000, not "not-a-url"',
      ],
      [
        { LEADSCORE_URL: 'ftp://host/' },
        'LEADSCORE_URL must be an http or https URL, such as http://127.0.0.1:3000, not "ftp://host/"',
      ],
      [
        { LEADSCORE_PORT_BASE: 'abc' },
        'LEADSCORE_PORT_BASE must be a port number from 1 to 65532, not "abc"',
      ],
      [
        { LEADSCORE_PORT_BASE: '70000' },
        'LEADSCORE_PORT_BASE must be a port number from 1 to 65532, not "70000"',
      ],
    ] as const) {
      const terminal = capturedTerminal();
      expect(await main(['leads', 'get', 'lead-1'], env, terminal)).toBe(1);
      expect(terminal.lines.err).toEqual([`leadscore: ${message}`]);
    }
    expect(requests).toHaveLength(sent);
  });

  it('checks a ruleset file before simulating or publishing it, and sends no invalid one', async () => {
    const file = join(home, 'nan.yaml');
    await writeFile(file, 'id: broken\ndecay:\n  halfLifeDays: .nan\n');
    const sent = requests.length;
    for (const command of ['simulate', 'publish']) {
      const terminal = capturedTerminal();
      const env = { LEADSCORE_URL: `http://127.0.0.1:${port}`, LEADSCORE_API_KEY: 'given' };
      expect(await main(['rules', command, file], env, terminal)).toBe(1);
      expect(terminal.lines.err.join('\n')).toContain(
        `${file}: decay.halfLifeDays: Invalid input: expected number, received NaN`,
      );
    }
    expect(requests).toHaveLength(sent);
  });

  it('prints its usage on stdout and exits 0 when asked for help', async () => {
    const sent = requests.length;
    for (const words of [
      ['--help'],
      ['-h'],
      ['help'],
      ['rules', 'validate', '--help'],
      ['leads', 'get', '-h'],
      ['replay', '--help'],
    ]) {
      const terminal = capturedTerminal();
      expect(await main(words, {}, terminal), words.join(' ')).toBe(0);
      expect(terminal.lines.out.join('\n')).toMatch(/^usage: leadscore <command>/);
      expect(terminal.lines.err).toEqual([]);
    }
    expect(requests).toHaveLength(sent);
  });
});
