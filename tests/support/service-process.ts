import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));

export interface ExitResult {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly elapsedMs: number;
}

/**
 * Extra node flags for every script process, from SCRIPT_NODE_ARGS (space-separated): say
 * `--cpu-prof --cpu-prof-dir=/tmp/profiles` to profile the services of a bench:pipeline run.
 * Flags, not NODE_OPTIONS, because node refuses --cpu-prof there.
 */
function profilingNodeArgs(): string[] {
  return (process.env.SCRIPT_NODE_ARGS ?? '').split(' ').filter((arg) => arg !== '');
}

/** A repository script run with tsx, with an environment of our choosing only. */
export class ScriptProcess {
  private stdout = '';
  private stderr = '';
  private readonly child: ChildProcess;
  private readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;

  constructor(script: string, env: Readonly<Record<string, string>>, args: readonly string[] = []) {
    // No inherited environment: the test controls every variable the script sees.
    this.child = spawn(process.execPath, [...profilingNodeArgs(), '--import', 'tsx', script, ...args], {
      cwd: repoRoot,
      env: { PATH: process.env.PATH ?? '', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child.stdout?.on('data', (chunk: Buffer) => {
      this.stdout += chunk.toString();
    });
    this.child.stderr?.on('data', (chunk: Buffer) => {
      this.stderr += chunk.toString();
    });
    // 'close', not 'exit': 'exit' can come before the last output has been read from the pipes,
    // and callers read the output once the process has ended.
    this.exited = new Promise((resolve) => {
      this.child.once('close', (code, signal) => resolve({ code, signal }));
    });
  }

  get pid(): number {
    if (this.child.pid === undefined) throw new Error('process did not start');
    return this.child.pid;
  }

  get output(): { stdout: string; stderr: string } {
    return { stdout: this.stdout, stderr: this.stderr };
  }

  /** Waits for the process to exit; kills it (SIGKILL) and fails when it takes longer than timeoutMs. */
  async waitForExit(timeoutMs: number): Promise<ExitResult> {
    const started = Date.now();
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), timeoutMs);
    });
    const result = await Promise.race([this.exited, timeout]);
    clearTimeout(timer);
    if (result === 'timeout') {
      this.kill('SIGKILL');
      throw new Error(`process did not exit within ${timeoutMs} ms; output:\n${this.stdout}\n${this.stderr}`);
    }
    return { ...result, elapsedMs: Date.now() - started };
  }

  get running(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  kill(signal: NodeJS.Signals): void {
    if (this.running) process.kill(this.pid, signal);
  }

  /**
   * Sends `signal` and waits for the exit, escalating to SIGKILL after graceMs: cleanup that
   * always ends with the process gone, whatever state it was in.
   */
  async stop(signal: NodeJS.Signals = 'SIGTERM', graceMs = 15_000): Promise<ExitResult> {
    const started = Date.now();
    this.kill(signal);
    let timer: NodeJS.Timeout | undefined;
    const grace = new Promise<'grace over'>((resolve) => {
      timer = setTimeout(() => resolve('grace over'), graceMs);
    });
    if ((await Promise.race([this.exited, grace])) === 'grace over') this.kill('SIGKILL');
    clearTimeout(timer);
    return { ...(await this.exited), elapsedMs: Date.now() - started };
  }
}

/** A service started exactly as in production: its main.ts. */
export class ServiceProcess extends ScriptProcess {
  constructor(service: string, env: Readonly<Record<string, string>>) {
    super(`services/${service}/src/main.ts`, env);
  }
}

/** Polls url until it answers 200; fails with the process output when it never does. */
export async function waitUntilAnswering(
  url: string,
  service: ScriptProcess,
  timeoutMs: number,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline && service.running) {
    try {
      const response = await fetch(url);
      if (response.ok) return;
    } catch {
      // Not listening yet.
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  const { stdout, stderr } = service.output;
  const why = service.running
    ? `did not answer 200 within ${timeoutMs} ms`
    : 'never answered: the process exited';
  throw new Error(`${url} ${why}; output:\n${stdout}\n${stderr}`);
}
