import type pg from 'pg';
import type { Registry } from 'prom-client';
import type { Config } from '../config/load-config.js';
import type { Logger } from '../logger.js';

/** What a bus must offer the platform: readiness and an orderly close. The Bus interface has both. */
export interface ServiceBus {
  healthCheck(): Promise<void>;
  close(): Promise<void>;
}

export interface BusConnectionSettings {
  readonly brokers: readonly string[];
  readonly clientId: string;
  readonly logger: Logger;
  /**
   * A consumer stopped and will fetch nothing more (the client gave up on a non-retriable error):
   * the process must not go on looking healthy. runService shuts down and exits 1.
   */
  readonly onConsumerStopped: (error: Error, groupId: string) => void;
}

/**
 * Everything a service's buildApp receives. Built by runService in production and by the
 * quickstart or a test otherwise, so apps never reach for globals or the environment.
 */
export interface ServiceDependencies<TBus extends ServiceBus> {
  readonly config: Config;
  readonly logger: Logger;
  readonly pool: pg.Pool;
  readonly bus: TBus;
  /** The app's own metrics registry, served at /metrics; business modules register on it. */
  readonly metrics: Registry;
}
