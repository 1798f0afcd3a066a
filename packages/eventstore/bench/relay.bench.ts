/**
 * `pnpm bench:relay`: the outbox relay alone. A store holding BENCH_EVENTS lead events (default
 * 50,000, five per lead, written as the ingest consumer writes them under bench:pipeline's load)
 * is relayed to a fresh lead-events topic by the relay as the ingest service runs it (leader
 * election, the same routes); timed from its start until its checkpoint reaches the last event,
 * then the topic's offsets are checked to hold every event.
 *
 * Reported: events/s, and CPU per event of this process (the relay, its pg and kafkajs clients)
 * and of its PostgreSQL backends. Compare CPU, not wall time, between changes: the machine is
 * shared. Uses KAFKA_BROKERS / DATABASE_URL when set, otherwise provisions both like the tests do.
 */
import { randomBytes } from 'node:crypto';
import { topics as topicNames } from '@leadscore/contracts';
import { createKafkaBus } from '@leadscore/kafka';
import pg from 'pg';
import { untilSubscriberCaughtUp } from '../../../bench/support/relay-progress.js';
import { createScratchDatabase } from '../../../bench/support/scratch-database.js';
import { formatStageCost, StageMeter } from '../../../bench/support/stage-meter.js';
import { storeLeadEvents } from '../../../bench/support/stored-lead-events.js';
import { provisionBenchmarkInfrastructure } from '../../../tests/setup/provision.js';
import { messagesOnTopic } from '../../../tests/support/topic-messages.js';
import { createLogger, createPool, runMigrations } from '../../platform/src/index.js';
import { leadEventsRoute, stageChangedRoute, startLeaderRelay } from '../src/index.js';

const EVENTS = Number(process.env.BENCH_EVENTS ?? 50_000);
const APPLICATION_NAME = 'leadscore-relay-bench';
const print = (line = '') => process.stdout.write(`${line}\n`);
const logger = createLogger({ service: 'relay-bench', level: 'warn' });

const infrastructure = await provisionBenchmarkInfrastructure();
const database = await createScratchDatabase(infrastructure.databaseUrl);
const topics = topicNames(`rbench${randomBytes(4).toString('hex')}.`);
const pool = createPool({
  connectionString: database.url,
  applicationName: APPLICATION_NAME,
  max: 10,
  statementTimeoutMs: 0,
  logger,
});
// Polls and samples CPU apart from the relay's pool, so neither is counted as the relay's work.
const watch = new pg.Pool({ connectionString: database.url, max: 2 });
const bus = createKafkaBus({ brokers: infrastructure.kafkaBrokers, clientId: 'relay-bench', logger });
try {
  await runMigrations({ databaseUrl: database.url, logger });
  await storeLeadEvents(pool, { events: EVENTS, waveSize: 2_000, eventsPerAppend: 100, tag: 'relay' });
  // As services/ingest/src/relay/register-relay.ts creates them.
  await bus.ensureTopics([{ name: topics.leadEvents, partitions: 6 }, { name: topics.stageChanged }]);

  const meter = await StageMeter.start(watch, database.name, APPLICATION_NAME);
  const relay = startLeaderRelay({
    pool,
    bus,
    routes: [
      leadEventsRoute({ topic: topics.leadEvents }),
      stageChangedRoute({ topic: topics.stageChanged }),
    ],
    logger,
  });
  await untilSubscriberCaughtUp(watch, 'relay');
  const cost = await meter.stop(EVENTS);
  await relay.stop();

  const published = await messagesOnTopic(infrastructure.kafkaBrokers, topics.leadEvents);
  if (published < EVENTS) throw new Error(`the topic holds ${published} messages, ${EVENTS} expected`);
  print(formatStageCost('relay (store -> leadscore.lead-events.v1)', cost));
  print(JSON.stringify({ bench: 'relay', ...cost, published }));
} finally {
  await bus.close();
  await pool.end();
  await watch.end();
  await database.drop();
  await infrastructure.teardown();
}
