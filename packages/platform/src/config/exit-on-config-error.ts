import { ConfigError } from './config-error.js';

/**
 * For process entry points: runs `load`; on a ConfigError prints every problem to stderr as plain
 * text (the logger is not configured yet: LOG_LEVEL itself may be the bad variable) and exits 1,
 * so an orchestrator sees a failed start with a reason instead of a stack trace.
 */
export function exitOnConfigError<T>(load: () => T): T {
  try {
    return load();
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    process.stderr.write(`${error.message}\n`);
    process.exit(1);
  }
}
