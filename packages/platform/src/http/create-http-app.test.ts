import { once } from 'node:events';
import { connect } from 'node:net';
import type pg from 'pg';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import type { Config } from '../config/load-config.js';
import { createHttpApp } from './create-http-app.js';
import { createMetricsRegistry } from './metrics-plugin.js';
import { PROBLEM_CONTENT_TYPE } from './problem.js';

/** What createHttpApp needs; nothing here is reached by the requests below but /readyz's checks. */
const deps = () => ({
  config: { readinessTimeoutMs: 1_000 } as Config,
  logger: pino({ level: 'silent' }),
  pool: {} as pg.Pool,
  bus: { healthCheck: async () => {}, close: async () => {} },
  metrics: createMetricsRegistry('test'),
});

interface RawResponse {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
}

/** Splits what a keep-alive connection received into its responses (fastify sends Content-Length). */
function responses(raw: string): RawResponse[] {
  const parsed: RawResponse[] = [];
  let rest = raw;
  while (rest.length > 0) {
    const headEnd = rest.indexOf('\r\n\r\n');
    const [statusLine = '', ...headerLines] = rest.slice(0, headEnd).split('\r\n');
    const headers = Object.fromEntries(
      headerLines.map((line) => {
        const colon = line.indexOf(':');
        return [line.slice(0, colon).toLowerCase(), line.slice(colon + 1).trim()];
      }),
    );
    const length = Number(headers['content-length']);
    const bodyStart = headEnd + 4;
    parsed.push({
      status: Number(statusLine.split(' ')[1]),
      headers,
      body: rest.slice(bodyStart, bodyStart + length),
    });
    rest = rest.slice(bodyStart + length);
  }
  return parsed;
}

describe('the shared HTTP app while it closes', () => {
  it('answers a request arriving during shutdown with a problem+json 503, Retry-After and Connection: close', async () => {
    const app = await createHttpApp(deps());
    let release = () => {};
    const released = new Promise<void>((resolve) => {
      release = resolve;
    });
    let entered = () => {};
    const slowEntered = new Promise<void>((resolve) => {
      entered = resolve;
    });
    app.get('/slow', async () => {
      entered();
      await released;
      return { done: true };
    });
    let preClosed = () => {};
    const closingStarted = new Promise<void>((resolve) => {
      preClosed = resolve;
    });
    app.addHook('preClose', async () => preClosed());
    await app.listen({ host: '127.0.0.1', port: 0 });
    const { port } = app.server.address() as { port: number };

    // One connection: a request in flight keeps it open once the listener is closed, and the
    // next request comes on it while the app closes, as on a client's kept-alive connection.
    const socket = connect(port, '127.0.0.1');
    let received = '';
    socket.on('data', (chunk: Buffer) => {
      received += chunk.toString('latin1');
    });
    await once(socket, 'connect');
    socket.write('GET /slow HTTP/1.1\r\nHost: leadscore\r\n\r\n');
    await slowEntered;
    const closed = app.close();
    await closingStarted;
    socket.write('GET /healthz HTTP/1.1\r\nHost: leadscore\r\n\r\n');
    // Let the second request be read and answered (queued behind the first) before releasing it.
    await new Promise((resolve) => setTimeout(resolve, 100));
    release();
    await once(socket, 'close');
    await closed;

    const [slow, refused] = responses(received);
    expect(slow?.status).toBe(200);
    expect(refused?.status).toBe(503);
    expect(refused?.headers['content-type']).toMatch(PROBLEM_CONTENT_TYPE);
    expect(refused?.headers['retry-after']).toBe('5');
    expect(refused?.headers.connection).toBe('close');
    expect(JSON.parse(refused?.body ?? '')).toEqual({
      type: 'urn:leadscore:problem:shutting-down',
      title: 'Service shutting down',
      status: 503,
      detail: 'this instance is shutting down and took nothing from the request; retry after 5 s',
      instance: '/healthz',
    });
  });

  it('serves requests as usual until then', async () => {
    const app = await createHttpApp(deps());
    const response = await app.inject({ method: 'GET', url: '/healthz' });
    expect(response.statusCode).toBe(200);
    await app.close();
  });
});
