import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';

const script = fileURLToPath(new URL('./consumer-process.ts', import.meta.url));

export interface SpawnedConsumer {
  readonly child: ChildProcess;
  /** Every complete stdout line so far. */
  lines(): readonly string[];
  /** Resolves on the n-th stdout line starting with `prefix` (counting from spawn). */
  waitForLine(prefix: string, nth?: number, timeoutMs?: number): Promise<void>;
  kill(signal: NodeJS.Signals): Promise<void>;
}

/** Starts tests/ingest/support/consumer-process.ts in a child process. */
export function spawnConsumer(env: Readonly<Record<string, string>>): SpawnedConsumer {
  const child = spawn(process.execPath, ['--import', 'tsx', script], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const lines: string[] = [];
  const waiters = new Set<() => void>();
  let buffered = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    buffered += chunk.toString('utf8');
    const complete = buffered.split('\n');
    buffered = complete.pop() ?? '';
    lines.push(...complete);
    for (const wake of waiters) wake();
  });
  const exited = once(child, 'exit');

  return {
    child,
    lines: () => lines,
    waitForLine(prefix, nth = 1, timeoutMs = 60_000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          if (lines.filter((line) => line.startsWith(prefix)).length >= nth) {
            waiters.delete(check);
            clearTimeout(timer);
            resolve();
          }
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(
            new Error(
              `consumer printed no ${nth}. "${prefix}" line in ${timeoutMs} ms; saw: ${lines.join(' | ')}`,
            ),
          );
        }, timeoutMs);
        waiters.add(check);
        check();
      });
    },
    async kill(signal) {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      await exited;
    },
  };
}
