import { join, resolve } from 'node:path';
import { buildApp as buildApiApp } from '@leadscore/api-service';
import { topics } from '@leadscore/contracts';
import { buildApp as buildIngestApp } from '@leadscore/ingest-service';
import { type Bus, createInProcessBus, createKafkaBus } from '@leadscore/kafka';
import {
  createLogger,
  createMetricsRegistry,
  ensureSchema,
  exitOnConfigError,
  installGracefulShutdown,
  loadConfig,
  SERVICE_NAMES,
} from '@leadscore/platform';
import { buildApp as buildProjectorApp } from '@leadscore/projector-service';
import { buildApp as buildScoringApp } from '@leadscore/scoring-service';
import { startEmbeddedPostgres } from './embedded-postgres.js';
import { acquireInstanceLock } from './instance-lock.js';
import { loadOrCreateQuickstartKey } from './quickstart-key.js';
import { createQuickstartPool } from './quickstart-pool.js';

const APP_BUILDERS = {
  ingest: buildIngestApp,
  scoring: buildScoringApp,
  projector: buildProjectorApp,
  api: buildApiApp,
} as const;

/**
 * Every service in one process. With DATABASE_URL and KAFKA_BROKERS set it uses them (the
 * production wiring, one process); otherwise PostgreSQL is PGlite under .leadscore/ and Kafka is
 * the in-process bus, so `npm start` works on a machine with nothing installed.
 */
export async function startQuickstart(env: NodeJS.ProcessEnv): Promise<void> {
  const home = resolve(env.LEADSCORE_HOME ?? '.leadscore');
  const external = Boolean(env.DATABASE_URL && env.KAFKA_BROKERS);
  const closers: (() => Promise<unknown>)[] = [];
  const closeAll = async () => {
    for (const close of closers.splice(0).reverse()) await close().catch(() => undefined);
  };

  const lock = acquireInstanceLock(join(home, 'quickstart.lock'));
  closers.push(async () => lock.release());
  const key = loadOrCreateQuickstartKey(join(home, 'api-key'));

  let databaseUrl = env.DATABASE_URL;
  if (!external) {
    const postgres = await startEmbeddedPostgres(join(home, 'pgdata'));
    closers.push(() => postgres.stop());
    databaseUrl = postgres.url;
  }

  const serviceEnv = {
    LOG_LEVEL: 'warn',
    // A quickstart is for the person at this machine: nothing listens beyond loopback.
    HOST: '127.0.0.1',
    INGEST_API_KEYS: key.envEntry(['ingest']),
    API_KEYS: key.envEntry(['read', 'admin']),
    ...env,
    DATABASE_URL: databaseUrl,
    // The in-process bus has no brokers; the config still wants a well-formed list.
    KAFKA_BROKERS: external ? env.KAFKA_BROKERS : 'in-process:0',
    // PGlite answers one query at a time: one connection, so a transaction never waits on a sibling.
    DATABASE_POOL_MAX: external ? env.DATABASE_POOL_MAX : '1',
    // One process, so no relay election; on PGlite also no LISTEN and no lock connection to spare.
    INGEST_RELAY: 'single',
  };
  const configs = SERVICE_NAMES.map((name, index) =>
    exitOnConfigError(() => loadConfig(withPort(serviceEnv, env.LEADSCORE_PORT_BASE, index), name)),
  );
  const first = configs[0]!;
  const logger = createLogger({ service: 'quickstart', level: first.logLevel });
  installGracefulShutdown({ logger, graceMs: first.shutdownGraceMs, close: closeAll });

  try {
    const pool = createQuickstartPool({ database: first.database, embedded: !external, logger });
    closers.push(() => pool.end());
    await ensureSchema({ databaseUrl: first.database.url, migrateOnStart: true, db: pool, logger });
    if (!external) {
      // The in-process bus forgot, with the last process, what scoring and the projector had not
      // consumed yet. The store did not: relay everything again; every consumer dedupes by event.
      await pool.query(`DELETE FROM eventstore.subscriber_checkpoints WHERE subscriber = 'relay'`);
    }

    const bus: Bus = external
      ? createKafkaBus({ brokers: first.kafka.brokers, clientId: 'leadscore-quickstart', logger })
      : createInProcessBus({ logger });
    closers.push(() => bus.close());
    await bus.ensureTopics(Object.values(topics(first.kafka.topicPrefix)).map((name) => ({ name })));

    // The API listens last, so a 200 from its /healthz means every service is up.
    const apiLast = [...configs].sort((a, b) => Number(a.service === 'api') - Number(b.service === 'api'));
    for (const config of apiLast) {
      const serviceLogger = createLogger({ service: config.service, level: config.logLevel });
      const app = await APP_BUILDERS[config.service]({
        config,
        logger: serviceLogger,
        pool,
        bus,
        metrics: createMetricsRegistry(config.service),
      });
      closers.push(() => app.close());
      await app.listen({ host: config.http.host, port: config.http.port });
    }
    printBanner(configs, key.key, external ? 'external PostgreSQL and Kafka' : `PGlite in ${home}`, {
      signed: first.ingest.hmacSecret !== undefined,
    });
  } catch (error) {
    logger.fatal({ err: error }, 'quickstart could not start');
    await closeAll();
    process.exit(1);
  }
}

/** All services share one environment, so PORT cannot tell them apart: LEADSCORE_PORT_BASE + index can. */
function withPort(env: NodeJS.ProcessEnv, portBase: string | undefined, index: number): NodeJS.ProcessEnv {
  if (portBase === undefined) return env;
  const base = Number(portBase);
  return { ...env, PORT: Number.isInteger(base) ? String(base + index) : portBase };
}

function printBanner(
  configs: readonly { service: string; http: { port: number } }[],
  key: string,
  storage: string,
  webhook: { readonly signed: boolean },
): void {
  const url = (service: string) =>
    `http://127.0.0.1:${configs.find((c) => c.service === service)?.http.port}`;
  const lines = [
    '',
    `leadscore quickstart is running (${storage}).`,
    `  API docs:      ${url('api')}/docs`,
    `  Webhook:       POST ${url('ingest')}/v1/events`,
    `  Health:        ${url('api')}/healthz`,
    `  API key:       ${key}`,
    '',
    `  curl -X POST ${url('ingest')}/v1/events -H 'Authorization: Bearer ${key}' \\`,
    `    -H 'Content-Type: application/json' \\`,
    `    -d '{"type":"page.visited","lead":{"email":"ada@example.com"},"occurredAt":"${new Date().toISOString()}","properties":{"url":"https://example.com/pricing"}}'`,
    ...(webhook.signed
      ? [
          '',
          '  INGEST_HMAC_SECRET is set: the webhook takes signed requests only. Add the',
          '  x-leadscore-timestamp and x-leadscore-signature headers as README.md shows ("Sending events").',
        ]
      : []),
    '',
    'Stop with Ctrl+C.',
    '',
  ];
  process.stdout.write(lines.join('\n'));
}
