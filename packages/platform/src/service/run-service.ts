import type { FastifyInstance } from 'fastify';
import type { ServiceName } from '../config/env-schema.js';
import { exitOnConfigError } from '../config/exit-on-config-error.js';
import { loadConfig } from '../config/load-config.js';
import { DatabaseUnreachableError, reachDatabase } from '../database/database-unreachable.js';
import { createPool } from '../database/pool.js';
import { ensureSchema } from '../database/schema-check.js';
import { createMetricsRegistry } from '../http/metrics-plugin.js';
import { createLogger, type Logger } from '../logger.js';
import { installGracefulShutdown } from './graceful-shutdown.js';
import type { BusConnectionSettings, ServiceBus, ServiceDependencies } from './service-dependencies.js';

export interface ServiceDefinition<TBus extends ServiceBus> {
  readonly name: ServiceName;
  /** Connects the production bus (createKafkaBus); the platform stays independent of any bus implementation. */
  createBus(settings: BusConnectionSettings): TBus;
  buildApp(deps: ServiceDependencies<TBus>): Promise<FastifyInstance>;
}

/**
 * A service process from start to exit: config (exit 1 when invalid), logger, schema, pool, bus,
 * app, listen; on SIGTERM/SIGINT everything is closed in reverse order of opening: HTTP and the
 * app's consumers first, then the bus, then the pool.
 */
export async function runService<TBus extends ServiceBus>(
  definition: ServiceDefinition<TBus>,
  env: NodeJS.ProcessEnv = process.env,
): Promise<void> {
  const config = exitOnConfigError(() => loadConfig(env, definition.name));
  const logger = createLogger({ service: definition.name, level: config.logLevel });
  const resources = new OpenResources(logger);
  const shutdown = installGracefulShutdown({
    logger,
    graceMs: config.shutdownGraceMs,
    close: () => resources.closeAll(),
  });

  try {
    const pool = createPool({
      connectionString: config.database.url,
      applicationName: `leadscore-${definition.name}`,
      max: config.database.poolMax,
      statementTimeoutMs: config.database.statementTimeoutMs,
      logger,
    });
    resources.opened('database pool', () => pool.end());
    await reachDatabase(pool, config.database.url);
    await ensureSchema({
      databaseUrl: config.database.url,
      migrateOnStart: config.migrateOnStart,
      db: pool,
      logger,
    });

    const bus = definition.createBus({
      brokers: config.kafka.brokers,
      clientId: config.kafka.clientId,
      logger,
      onConsumerStopped: (error, groupId) =>
        shutdown.fail(`the consumer of group ${groupId} stopped for good`, error),
    });
    resources.opened('bus', () => bus.close());

    const app = await definition.buildApp({
      config,
      logger,
      pool,
      bus,
      metrics: createMetricsRegistry(definition.name),
    });
    resources.opened('http server', () => app.close());
    await app.listen({ host: config.http.host, port: config.http.port });
  } catch (error) {
    if (error instanceof DatabaseUnreachableError) {
      // Which setting to check, without the driver's stack: the config errors' style.
      logger.fatal({ database: error.database, reason: error.reason }, `could not start: ${error.message}`);
    } else {
      logger.fatal({ err: error }, 'could not start');
    }
    await resources.closeAll();
    process.exit(1);
  }
}

/** Closers of what has been opened so far, so a failed start releases exactly what it got. */
class OpenResources {
  private readonly closers: { name: string; close: () => Promise<unknown> }[] = [];

  constructor(private readonly logger: Logger) {}

  opened(name: string, close: () => Promise<unknown>): void {
    this.closers.push({ name, close });
  }

  /** Closes in reverse order of opening; one failure is logged and does not stop the others. */
  async closeAll(): Promise<void> {
    for (const { name, close } of this.closers.splice(0).reverse()) {
      try {
        await close();
      } catch (error) {
        this.logger.error({ err: error, resource: name }, 'could not close cleanly');
      }
    }
  }
}
