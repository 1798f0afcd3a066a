import type { Log } from './resources.js';

interface Step {
  readonly name: string;
  readonly run: () => Promise<void>;
}

/**
 * What to undo, in reverse order of starting. Running it twice does the work once, so the
 * normal teardown, a failed setup and a signal can all call it safely.
 */
export class Teardown {
  readonly #steps: Step[] = [];
  #running: Promise<void> | undefined;

  constructor(private readonly log: Log) {}

  add(name: string, run: () => Promise<void>): void {
    this.#steps.push({ name, run });
  }

  run(): Promise<void> {
    this.#running ??= this.#runAll();
    return this.#running;
  }

  async #runAll(): Promise<void> {
    const failures: unknown[] = [];
    for (const step of [...this.#steps].reverse()) {
      try {
        await step.run();
      } catch (error) {
        this.log(`stopping ${step.name} failed: ${(error as Error).message}`);
        failures.push(error);
      }
    }
    if (failures.length > 0) throw new AggregateError(failures, 'test infrastructure teardown failed');
  }
}

/**
 * Interrupting the test run (Ctrl-C, a CI timeout's SIGTERM) still stops what we started.
 * A second signal while that runs (Ctrl-C pressed again; npx, pnpm and a terminal each passing
 * the same SIGTERM on) ends the process at once, but through process.exit: the exit guard
 * (exit-guard.ts) then kills what is still running and removes the temp dirs. Left to the
 * default action, the second signal killed the process mid-teardown with neither done.
 * Returns a function that removes the handlers again.
 */
export function runTeardownOnSignals(teardown: Teardown, log: Log): () => void {
  const handlers = new Map<NodeJS.Signals, () => void>();
  let stopping = false;
  for (const [signal, exitCode] of [
    ['SIGINT', 130],
    ['SIGTERM', 143],
  ] as const) {
    const handler = () => {
      if (stopping) {
        log(`${signal} again: killing the test infrastructure`);
        process.exit(exitCode);
      }
      stopping = true;
      log(`${signal}: stopping the test infrastructure`);
      teardown
        .run()
        .catch(() => {})
        .finally(() => process.exit(exitCode));
    };
    handlers.set(signal, handler);
    process.on(signal, handler);
  }
  return () => {
    for (const [signal, handler] of handlers) process.off(signal, handler);
  };
}
