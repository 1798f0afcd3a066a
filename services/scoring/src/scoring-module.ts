import { topics as topicNames } from '@leadscore/contracts';
import { BATCHING_FETCH, type Bus } from '@leadscore/kafka';
import type { Config, ServiceDependencies } from '@leadscore/platform';
import type { StoredRulesets } from '@leadscore/rulesets';
import type { FastifyInstance } from 'fastify';
import { startScoringConsumer } from './consumer/scoring-consumer.js';
import type { ActiveRuleset } from './engine/active-ruleset.js';
import { createScoringMetrics } from './metrics.js';
import { createRescoringMetrics } from './rescoring/rescoring-metrics.js';
import { startRescoringRunner } from './rescoring/rescoring-runner.js';

/** Partitions of the topics keyed by lead: the most consumers one group can spread over. */
export const LEAD_TOPIC_PARTITIONS = 6;

/**
 * Consumer settings of the scoring bus. Batches of different partitions are scored side by side:
 * a lead's events all sit on one partition (keyed by lead), so concurrent transactions never
 * lock the same lead, and a batch waiting on PostgreSQL or on the broker's acknowledgement of its
 * score changes no longer idles the others (one at a time, the scorer waited half the time).
 *
 * A fetch waits for a batch (BATCHING_FETCH: 16 KiB, some 20 to 25 events, or 25 ms). Answered at
 * once, the scorer took batches of about 20 events at 2,000 events/s. bench:pipeline, 30 s at
 * 2,000 events/s, alternated: the scorer's CPU per event with its PostgreSQL backends 167, 182 and
 * 182 us before, 152 and 145 after; the hop from lead-events to score-changed kept its p50 (11 ms):
 * at that rate 16 KiB arrive within about 10 ms, no later than the next fetch came before.
 */
export const SCORING_CONSUMER_SETTINGS = {
  partitionsConsumedConcurrently: LEAD_TOPIC_PARTITIONS,
  ...BATCHING_FETCH,
} as const;

export interface ScoringSettings {
  readonly topicPrefix: string;
  /** Leads per rescoring batch (one transaction each). */
  readonly rescoringBatchSize?: number;
}

export function scoringSettingsFrom(config: Config): ScoringSettings {
  return { topicPrefix: config.kafka.topicPrefix, rescoringBatchSize: config.scoring.rescoringBatchSize };
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
  /** The ruleset catalog: given, this instance also runs rescoring jobs when versions are published. */
  rulesets?: StoredRulesets,
): Promise<void> {
  const topics = topicNames(settings.topicPrefix);
  await deps.bus.ensureTopics([
    { name: topics.leadEvents, partitions: LEAD_TOPIC_PARTITIONS },
    { name: topics.scoreChanged, partitions: LEAD_TOPIC_PARTITIONS },
    { name: topics.alerts },
  ]);
  const metrics = createScoringMetrics(deps.metrics);
  const subscription = await startScoringConsumer({
    bus: deps.bus,
    pool: deps.pool,
    topics,
    topicPrefix: settings.topicPrefix,
    ruleset,
    logger: deps.logger,
    metrics,
    now,
  });
  app.addHook('onClose', () => subscription.stop());
  if (rulesets === undefined) return;
  const rescoring = startRescoringRunner({
    pool: deps.pool,
    bus: deps.bus,
    rulesets,
    topics,
    logger: deps.logger.child({ component: 'rescoring' }),
    metrics: createRescoringMetrics(deps.metrics),
    scoringMetrics: metrics,
    now,
    ...(settings.rescoringBatchSize === undefined ? {} : { batchSize: settings.rescoringBatchSize }),
  });
  app.addHook('onClose', () => rescoring.stop());
}
