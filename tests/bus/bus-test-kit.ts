import { randomBytes } from 'node:crypto';
import type {
  Bus,
  ConsumedBatch,
  ConsumedMessage,
  SubscribeOptions,
  Subscription,
} from '../../packages/kafka/src/index.js';
import { createLogger, type Logger } from '../../packages/platform/src/logger.js';

export interface LogLine {
  readonly level: string;
  readonly msg: string;
  readonly [field: string]: unknown;
}

/** A pino logger whose lines the test can read back. */
export function capturingLogger(): { logger: Logger; lines: LogLine[] } {
  const lines: LogLine[] = [];
  const logger = createLogger({
    service: 'bus-test',
    level: 'info',
    destination: { write: (line: string) => lines.push(JSON.parse(line) as LogLine) },
  });
  return { logger, lines };
}

/** A logger that drops everything, for tests that do not read the log. */
export function silentLogger(): Logger {
  return createLogger({ service: 'bus-test', level: 'silent' });
}

export function uniqueName(prefix: string): string {
  return `${prefix}${randomBytes(4).toString('hex')}`;
}

/** Polls until `condition` holds; fails with `what` after `timeoutMs`. */
export async function eventually(what: string, condition: () => boolean, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`Timed out after ${timeoutMs} ms waiting for: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** A subscription that records every batch it was handed, and whether its handler succeeded. */
export interface Recorder {
  readonly subscription: Subscription;
  readonly batches: { readonly batch: ConsumedBatch; readonly at: number; readonly failed: boolean }[];
  /** Messages of the batches whose handler resolved, in the order they were handled. */
  handled(): ConsumedMessage[];
}

export async function record(
  bus: Bus,
  options: Omit<SubscribeOptions, 'handleBatch'>,
  handle: (batch: ConsumedBatch, call: number) => Promise<void> = async () => {},
): Promise<Recorder> {
  const batches: Recorder['batches'] = [];
  const subscription = await bus.subscribe({
    ...options,
    handleBatch: async (batch) => {
      const call = batches.length;
      const entry = { batch, at: Date.now(), failed: true };
      batches.push(entry);
      await handle(batch, call);
      entry.failed = false;
    },
  });
  return {
    subscription,
    batches,
    handled: () => batches.filter((entry) => !entry.failed).flatMap((entry) => entry.batch.messages),
  };
}

export function text(message: ConsumedMessage): string {
  return message.value.toString('utf8');
}
