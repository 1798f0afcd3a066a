import closeWithGrace from 'close-with-grace';
import type { Logger } from '../logger.js';

export interface ShutdownSettings {
  readonly logger: Logger;
  readonly graceMs: number;
  /** Releases everything the process holds; must finish within graceMs. */
  readonly close: () => Promise<void>;
}

export interface Shutdown {
  /**
   * Shuts down because part of the service stopped working for good (a consumer that will fetch
   * nothing more): logged as fatal, closed as on SIGTERM, and the process exits 1, so that an
   * orchestrator restarts it instead of keeping a process that answers /healthz and does nothing.
   */
  fail(reason: string, error: unknown): void;
}

/**
 * SIGTERM/SIGINT: close within graceMs and exit 0; past graceMs, exit 1 anyway (an orchestrator
 * would SIGKILL soon after). An uncaught exception or unhandled rejection is logged, resources are
 * closed the same way, and the process exits 1: its state is unknown, a restart is the safe answer.
 * So does a `fail`.
 */
export function installGracefulShutdown({ logger, graceMs, close }: ShutdownSettings): Shutdown {
  let failed = false;
  const grace = closeWithGrace(
    {
      delay: graceMs,
      logger: { error: (message: unknown) => logger.error({ detail: message }, 'shutdown problem') },
      onTimeout: (delay) =>
        logger.error({ graceMs: delay }, 'shutdown took longer than the grace period; exiting'),
    },
    async ({ signal, err }) => {
      if (err) logger.fatal({ err }, 'uncaught error; shutting down');
      else if (!failed) logger.info({ signal }, 'shutting down');
      await close();
      logger.info('stopped');
      // close-with-grace ends a manual close with exit 0; a failure must say so to the orchestrator.
      if (failed) process.exit(1);
    },
  );
  return {
    fail(reason, error) {
      if (failed) return;
      failed = true;
      logger.fatal({ err: error }, `${reason}; shutting down`);
      grace.close();
    },
  };
}
