import { type ChildProcess, spawn } from 'node:child_process';
import { closeSync, existsSync, openSync, readFileSync } from 'node:fs';
import { TestInfraError } from './errors.js';
import { guardPid, releasePid } from './exit-guard.js';

export interface ProcessSpec {
  /** Short name for logs and errors, e.g. "kafka broker". */
  readonly name: string;
  readonly command: string;
  readonly args: readonly string[];
  readonly cwd?: string;
  readonly env?: NodeJS.ProcessEnv;
  /** stdout and stderr are appended here, so a failure can quote the end of it. */
  readonly logFile: string;
  /** Run as this user (we are root and the program refuses root, e.g. PostgreSQL). */
  readonly uid?: number;
  readonly gid?: number;
}

export interface ExitStatus {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
}

export interface ManagedProcess {
  readonly name: string;
  readonly pid: number;
  /** Set once the process has exited. */
  exitStatus(): ExitStatus | undefined;
  readonly exited: Promise<ExitStatus>;
  /** Sends `signal`, waits up to `graceMs`, then SIGKILL; resolves once the process is gone. */
  stop(options?: { signal?: NodeJS.Signals; graceMs?: number }): Promise<void>;
  logTail(lines?: number): string;
}

/** Starts a long-running process we own by pid; the exit guard kills it if we never get to stop it. */
export function startProcess(spec: ProcessSpec): ManagedProcess {
  const child = spawnLogged(spec);
  const pid = child.pid;
  if (pid === undefined) {
    throw new TestInfraError('COMMAND_FAILED', `could not start ${spec.name} (${spec.command})`, {
      command: spec.command,
    });
  }
  guardPid(pid);
  let status: ExitStatus | undefined;
  const exited = new Promise<ExitStatus>((resolve) => {
    child.once('exit', (code, signal) => {
      status = { code, signal };
      releasePid(pid);
      resolve(status);
    });
  });

  return {
    name: spec.name,
    pid,
    exited,
    exitStatus: () => status,
    logTail: (lines) => tailOfFile(spec.logFile, lines),
    stop: async ({ signal = 'SIGTERM', graceMs = 10_000 } = {}) => {
      if (status) return;
      child.kill(signal);
      const timer = delay(graceMs);
      const result = await Promise.race([exited, timer.promise]);
      timer.cancel();
      if (result === undefined) {
        child.kill('SIGKILL');
        await exited;
      }
    },
  };
}

/** Runs a command to completion; a non-zero exit becomes an error quoting the end of its output. */
export async function runToCompletion(spec: ProcessSpec): Promise<void> {
  const child = spawnLogged(spec);
  const status = await new Promise<ExitStatus>((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code, signal) => resolve({ code, signal }));
  }).catch((error: NodeJS.ErrnoException) => {
    throw new TestInfraError('COMMAND_FAILED', `${spec.name}: cannot run ${spec.command}: ${error.message}`, {
      command: spec.command,
      errno: error.code,
    });
  });
  if (status.code !== 0) {
    throw new TestInfraError(
      'COMMAND_FAILED',
      `${spec.name} failed (${describeExit(status)}): ${spec.command} ${spec.args.join(' ')}\n${tailOfFile(spec.logFile)}`,
      { command: spec.command, args: spec.args, logFile: spec.logFile, ...status },
    );
  }
}

export function describeExit(status: ExitStatus): string {
  return status.signal ? `killed by ${status.signal}` : `exit code ${status.code}`;
}

/** The last `lines` lines of a log file, or a note that there is none. */
export function tailOfFile(path: string, lines = 40): string {
  if (!existsSync(path)) return `(no log at ${path})`;
  const text = readFileSync(path, 'utf8');
  const tail = text.trimEnd().split('\n').slice(-lines).join('\n');
  return `--- last lines of ${path} ---\n${tail}`;
}

function spawnLogged(spec: ProcessSpec): ChildProcess {
  const fd = openSync(spec.logFile, 'a');
  try {
    const child = spawn(spec.command, [...spec.args], {
      cwd: spec.cwd,
      env: spec.env ?? process.env,
      stdio: ['ignore', fd, fd],
      uid: spec.uid,
      gid: spec.gid,
    });
    // A spawn failure (ENOENT) is reported through 'error'; without a listener it would crash the runner.
    child.on('error', () => {});
    return child;
  } finally {
    closeSync(fd);
  }
}

function delay(ms: number): { promise: Promise<undefined>; cancel(): void } {
  let timer: NodeJS.Timeout | undefined;
  const promise = new Promise<undefined>((resolve) => {
    timer = setTimeout(() => resolve(undefined), ms);
  });
  return { promise, cancel: () => clearTimeout(timer) };
}
