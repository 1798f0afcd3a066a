import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from './main.js';
import type { Terminal } from './terminal.js';

function capture(): Terminal & { lines: { out: string[]; err: string[] } } {
  const lines = { out: [] as string[], err: [] as string[] };
  return {
    lines,
    out: (text) => lines.out.push(text),
    err: (text) => lines.err.push(text),
    progress: () => {},
    endProgress: () => {},
  };
}

// An HTTP server standing where the CLI looks: it records what arrives and answers with a lead.
let server: Server;
let port: number;
let home: string;
const requests: { url: string | undefined; headers: IncomingHttpHeaders }[] = [];

beforeAll(async () => {
  server = createServer((request, response) => {
    requests.push({ url: request.url, headers: request.headers });
    response.writeHead(200, { 'content-type': 'application/json' }).end('{"id":"lead-1"}');
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
    const terminal = capture();
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
    expect(await main(['leads', 'get', 'lead-1'], env, capture())).toBe(0);
    expect(requests.at(-1)?.headers.authorization).toBe('Bearer given');
  });

  it('never sends the quickstart key to the instance LEADSCORE_URL names', async () => {
    const env = { LEADSCORE_URL: `http://127.0.0.1:${port}`, LEADSCORE_HOME: home };
    expect(await main(['leads', 'get', 'lead-1'], env, capture())).toBe(0);
    expect(requests.at(-1)?.headers.authorization).toBeUndefined();
  });

  it('says where it looked when nothing answers there', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const freePort = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));

    const terminal = capture();
    expect(await main(['replay'], { LEADSCORE_URL: `http://127.0.0.1:${freePort}` }, terminal)).toBe(1);
    expect(terminal.lines.err).toEqual([
      `leadscore: cannot reach http://127.0.0.1:${freePort} (connect ECONNREFUSED 127.0.0.1:${freePort}): is leadscore running there? (npm start, or set LEADSCORE_URL)`,
    ]);
  });
});
