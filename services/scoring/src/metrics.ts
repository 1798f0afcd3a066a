import { Counter, Gauge, Histogram, type Registry } from 'prom-client';

/** The scoring service's metrics, registered on the registry the app serves at /metrics. */
export function createScoringMetrics(registry: Registry) {
  const registers = [registry];
  return {
    eventsScored: new Counter({
      name: 'leadscore_scoring_events_total',
      help: 'Lead events consumed, by outcome: applied (folded), already-applied (redelivery), recomputed',
      labelNames: ['outcome'] as const,
      registers,
    }),
    recomputes: new Counter({
      name: 'leadscore_scoring_recomputes_total',
      help: 'Leads recomputed from their stream, by reason: late event, ruleset changed, unreadable message',
      labelNames: ['reason'] as const,
      registers,
    }),
    messagesPublished: new Counter({
      name: 'leadscore_scoring_messages_published_total',
      help: 'Score-changed and alert messages acknowledged by the bus, by topic',
      labelNames: ['topic'] as const,
      registers,
    }),
    undecodable: new Counter({
      name: 'leadscore_scoring_undecodable_messages_total',
      help: 'Lead-events messages that could not be read (their lead is recomputed from the store when the key names it)',
      registers,
    }),
    batchSeconds: new Histogram({
      name: 'leadscore_scoring_batch_duration_seconds',
      help: 'Time to score one consumed batch: transaction, publish and outbox cleanup',
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers,
    }),
    batchFailures: new Counter({
      name: 'leadscore_scoring_batch_failures_total',
      help: 'Consumed batches that failed (database or bus down) and will be redelivered',
      registers,
    }),
    consumerLagSeconds: new Gauge({
      name: 'leadscore_scoring_consumer_lag_seconds',
      help: 'Age of the newest message of the last batch handled, per partition',
      labelNames: ['partition'] as const,
      registers,
    }),
  };
}

export type ScoringMetrics = ReturnType<typeof createScoringMetrics>;
