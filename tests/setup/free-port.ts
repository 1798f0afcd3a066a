import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';

/**
 * Ports for servers a test starts later (a child process may take seconds to bind) are chosen
 * below the kernel's ephemeral range: an ephemeral port that is free now can be handed to any
 * outgoing connection (PostgreSQL, Kafka, HTTP) before the server binds it, and the server then
 * dies with EADDRINUSE. Below the range only an explicit bind can take it.
 */
const LOWEST_PORT = 15_000;

/** A TCP port nothing listens on right now on 127.0.0.1, outside the ephemeral range. */
export function freeLoopbackPort(): Promise<number> {
  return freeLoopbackPortRun(1);
}

/**
 * The first of `count` consecutive ports, all free on 127.0.0.1 right now (the quickstart binds
 * LEADSCORE_PORT_BASE + 0..3). Another process could still bind one first; callers that start
 * servers on them therefore fail loudly rather than share.
 */
export async function freeLoopbackPortRun(count: number): Promise<number> {
  const highest = ephemeralRangeStart() - count;
  for (let attempt = 0; attempt < 1_000; attempt += 1) {
    const base = LOWEST_PORT + Math.floor(Math.random() * (highest - LOWEST_PORT));
    if (await allFree(base, count)) return base;
  }
  throw new Error(`no ${count} consecutive free ports between ${LOWEST_PORT} and ${highest + count}`);
}

async function allFree(base: number, count: number): Promise<boolean> {
  for (let port = base; port < base + count; port += 1) {
    if (!(await portIsFree(port))) return false;
  }
  return true;
}

function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.unref();
    server.once('error', () => resolve(false));
    server.listen({ host: '127.0.0.1', port, exclusive: true }, () => server.close(() => resolve(true)));
  });
}

/** Linux says where its ephemeral ports start; elsewhere (macOS: 49152) 32768 is below it too. */
function ephemeralRangeStart(): number {
  try {
    const [low] = readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/);
    const start = Number(low);
    return Number.isInteger(start) && start > LOWEST_PORT + 1_000 ? start : 32_768;
  } catch {
    return 32_768;
  }
}
