import { topics as topicNames } from '@leadscore/contracts';
import type { Bus } from '@leadscore/kafka';
import type { Config, ServiceDependencies } from '@leadscore/platform';
import type { FastifyInstance } from 'fastify';
import { startScoringConsumer } from './consumer/scoring-consumer.js';
import type { ActiveRuleset } from './engine/active-ruleset.js';
import { createScoringMetrics } from './metrics.js';

/** Partitions of the topics keyed by lead: the most consumers one group can spread over. */
export const LEAD_TOPIC_PARTITIONS = 6;

export interface ScoringSettings {
  readonly topicPrefix: string;
}

export function scoringSettingsFrom(config: Config): ScoringSettings {
  return { topicPrefix: config.kafka.topicPrefix };
}

/**
 * Adds the scorer to an app built by the platform: ensures its topics, starts the consumer
 * (stopped when the app closes, before the bus and the pool) and registers its metrics.
 */
export async function registerScoring(
  app: FastifyInstance,
  deps: ServiceDependencies<Bus>,
  settings: ScoringSettings,
  ruleset: ActiveRuleset,
  now: () => number = Date.now,
): Promise<void> {
  const topics = topicNames(settings.topicPrefix);
  await deps.bus.ensureTopics([
    { name: topics.leadEvents, partitions: LEAD_TOPIC_PARTITIONS },
    { name: topics.scoreChanged, partitions: LEAD_TOPIC_PARTITIONS },
    { name: topics.alerts },
  ]);
  const subscription = await startScoringConsumer({
    bus: deps.bus,
    pool: deps.pool,
    topics,
    topicPrefix: settings.topicPrefix,
    ruleset,
    logger: deps.logger,
    metrics: createScoringMetrics(deps.metrics),
    now,
  });
  app.addHook('onClose', () => subscription.stop());
}
