import { topics as topicNames } from '@leadscore/contracts';
import { BATCHING_FETCH, type Bus } from '@leadscore/kafka';
import type { Config, ConfiguredApiKey, ServiceDependencies } from '@leadscore/platform';
import type { FastifyInstance } from 'fastify';
import { INGEST_CONSUMER_GROUP, startActivityConsumer } from './consumer/activity-consumer.js';
import { createActivityAppender } from './consumer/store-activities.js';
import { eventsRoute } from './http/events-route.js';
import { createTokenBucketLimiter, type TokenBucketOptions } from './http/rate-limit.js';
import { buildWebhookOpenApiDocument } from './http/webhook-openapi.js';
import { createIngestMetrics } from './metrics.js';

/** Partitions of the activity topic: the most consumers one group can spread over. */
export const ACTIVITY_PARTITIONS = 6;

/**
 * Consumer settings of the ingest bus. Batches of different partitions are appended side by
 * side, and those one fetch hands over share one transaction (see createActivityBatchHandler): a
 * lead's events all sit on one partition, so concurrent appends never touch the same stream.
 *
 * A fetch waits for a batch (BATCHING_FETCH: 16 KiB, about 40 events, or 25 ms, whichever comes
 * first): every fetch and append has a fixed cost, so at a live tail a short wait buys batches of
 * 40 to 60 events. bench:ingest at 2,000 events/s, with the
 * shared appends (CPU per event, process + PostgreSQL; send to stored, p50; idle consumer):
 * - 16 KiB or 25 ms: 120-131 + 66-72 us, 23-26 ms, 6-8% of a core;
 * - 16 KiB or 10 ms: 128-159 + 71-75 us, 19-24 ms, 12-16% (a fetch every 10 ms while idle);
 * - answering at once (1 byte): 185-200 + 90-100 us, 8-14 ms, 8-9%.
 * Before the appends were shared, 32 KiB or 50 ms: 126-128 + 121-127 us, 46-47 ms, 3-5%.
 * Once nothing comes, the fetches wait for any byte (BATCHING_FETCH's idleFetch): the whole ingest
 * process, idle, went from 0.064 to 0.031 cores (docs/BENCHMARKS.md).
 */
export const INGEST_CONSUMER_SETTINGS = {
  partitionsConsumedConcurrently: ACTIVITY_PARTITIONS,
  ...BATCHING_FETCH,
} as const;

/**
 * Producer settings of the ingest bus. The webhook publishes through two idempotent producers
 * (each lead key always through the same one, so its order holds): one idempotent producer has
 * one produce request in flight per broker, and while the broker handled it the next webhook
 * requests only queued. Two divides the activity topic's six partitions, so each partition is
 * written by one producer.
 */
export const INGEST_PRODUCER_SETTINGS = { lanes: 2 } as const;

export interface IngestSettings {
  readonly topicPrefix: string;
  readonly apiKeys: readonly ConfiguredApiKey[];
  readonly hmacSecret?: string | undefined;
  readonly signatureToleranceMs: number;
  /** How far ahead of the server clock an event's occurredAt may be. */
  readonly futureToleranceMs: number;
  readonly rateLimit: TokenBucketOptions;
  /** Run the raw consumer in this process (the webhook alone scales separately when false). */
  readonly runConsumer: boolean;
}

export function ingestSettingsFrom(config: Config): IngestSettings {
  return {
    topicPrefix: config.kafka.topicPrefix,
    apiKeys: config.ingest.apiKeys,
    hmacSecret: config.ingest.hmacSecret,
    signatureToleranceMs: config.ingest.signatureToleranceMs,
    futureToleranceMs: config.ingest.futureToleranceMs,
    rateLimit: config.ingest.rateLimit,
    runConsumer: config.ingest.runConsumer,
  };
}

/**
 * Adds ingest to an app built by the platform: the webhook route, the raw consumer (stopped when
 * the app closes, before the bus and the pool), and their metrics on the app's registry.
 */
export async function registerIngest(
  app: FastifyInstance,
  deps: ServiceDependencies<Bus>,
  settings: IngestSettings,
  now: () => number = Date.now,
): Promise<void> {
  const topics = topicNames(settings.topicPrefix);
  const metrics = createIngestMetrics(deps.metrics);
  await deps.bus.ensureTopics([
    { name: topics.activity, partitions: ACTIVITY_PARTITIONS },
    { name: topics.activityDlq },
  ]);

  await app.register(eventsRoute, {
    bus: deps.bus,
    activityTopic: topics.activity,
    apiKeys: settings.apiKeys,
    takeToken: createTokenBucketLimiter(settings.rateLimit),
    futureToleranceMs: settings.futureToleranceMs,
    ...(settings.hmacSecret
      ? { signature: { secret: settings.hmacSecret, toleranceMs: settings.signatureToleranceMs } }
      : {}),
    metrics,
    now,
  });
  // The webhook's contract, for senders to read from the service itself (openapi/webhook.json).
  const webhookDocument = buildWebhookOpenApiDocument();
  app.get('/openapi.json', async () => webhookDocument);

  if (settings.runConsumer) {
    const subscription = await startActivityConsumer({
      bus: deps.bus,
      topics,
      // A group per topic prefix: deployments sharing a cluster must not share partitions.
      groupId: `${settings.topicPrefix}${INGEST_CONSUMER_GROUP}`,
      store: createActivityAppender(deps.pool),
      logger: deps.logger,
      metrics,
      now,
    });
    app.addHook('onClose', () => subscription.stop());
  }
}
