import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { isAlive } from '../support/process-alive.js';

const script = fileURLToPath(new URL('./support/interruptible-setup.ts', import.meta.url));

interface Held {
  readonly pid: number;
  readonly dir: string;
}

let setup: ChildProcess | undefined;
let held: Held | undefined;
afterEach(() => {
  setup?.kill('SIGKILL');
  if (held && isAlive(held.pid)) process.kill(held.pid, 'SIGKILL');
  // What a failing run leaves behind.
  if (held) rmSync(held.dir, { recursive: true, force: true });
});

/** Starts the setup stand-in and resolves with what it holds once it is ready. */
function startSetup(): Promise<Held> {
  setup = spawn(process.execPath, ['--import', 'tsx', script], { stdio: ['ignore', 'pipe', 'pipe'] });
  return new Promise((resolve, reject) => {
    let out = '';
    setup?.stdout?.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      if (out.includes('\n')) resolve(JSON.parse(out.split('\n')[0] ?? '') as Held);
    });
    setup?.once('exit', (code) => reject(new Error(`the setup exited early (code ${code})`)));
  });
}

const exitOf = (child: ChildProcess) =>
  new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );

describe('a test setup interrupted by signals', () => {
  it('on a second SIGTERM during its teardown, exits at once and still kills what it started and removes its temp dir', async () => {
    held = await startSetup();
    expect(isAlive(held.pid)).toBe(true);
    const exited = exitOf(setup!);
    setup!.kill('SIGTERM');
    await new Promise((resolve) => setTimeout(resolve, 300));
    setup!.kill('SIGTERM');

    // Well before the 30 s teardown step would have ended.
    expect(await exited).toEqual({ code: 143, signal: null });
    expect(isAlive(held.pid)).toBe(false);
    expect(existsSync(held.dir)).toBe(false);
  }, 20_000);
});
