import closeWithGrace from 'close-with-grace';
import type { Logger } from '../logger.js';

export interface ShutdownSettings {
  readonly logger: Logger;
  readonly graceMs: number;
  /** Releases everything the process holds; must finish within graceMs. */
  readonly close: () => Promise<void>;
}

/**
 * SIGTERM/SIGINT: close within graceMs and exit 0; past graceMs, exit 1 anyway (an orchestrator
 * would SIGKILL soon after). An uncaught exception or unhandled rejection is logged, resources are
 * closed the same way, and the process exits 1: its state is unknown, a restart is the safe answer.
 */
export function installGracefulShutdown({ logger, graceMs, close }: ShutdownSettings): void {
  closeWithGrace(
    {
      delay: graceMs,
      logger: { error: (message: unknown) => logger.error({ detail: message }, 'shutdown problem') },
      onTimeout: (delay) =>
        logger.error({ graceMs: delay }, 'shutdown took longer than the grace period; exiting'),
    },
    async ({ signal, err }) => {
      if (err) logger.fatal({ err }, 'uncaught error; shutting down');
      else logger.info({ signal }, 'shutting down');
      await close();
      logger.info('stopped');
    },
  );
}
