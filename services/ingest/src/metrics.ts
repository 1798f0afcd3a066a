import { Counter, Gauge, Histogram, type Registry } from 'prom-client';

/** Why the webhook refused a request; one label value each. */
export type RefusalReason =
  | 'unauthenticated'
  | 'forbidden'
  | 'rate-limited'
  | 'unsupported-media-type'
  | 'too-large'
  | 'bad-signature'
  | 'stale-timestamp'
  | 'invalid-event'
  | 'kafka-unavailable';

/** The ingest service's metrics, registered on the registry the app serves at /metrics. */
export function createIngestMetrics(registry: Registry) {
  const registers = [registry];
  return {
    eventsAccepted: new Counter({
      name: 'leadscore_ingest_events_accepted_total',
      help: 'Events the webhook accepted (202, acknowledged by Kafka)',
      registers,
    }),
    requestsRefused: new Counter({
      name: 'leadscore_ingest_requests_refused_total',
      help: 'Webhook requests refused, by reason; a refused request publishes none of its events',
      labelNames: ['reason'] as const,
      registers,
    }),
    eventsAppended: new Counter({
      name: 'leadscore_ingest_events_appended_total',
      help: 'Events the consumer stored in the event store',
      registers,
    }),
    eventsAlreadyStored: new Counter({
      name: 'leadscore_ingest_events_already_stored_total',
      help: 'Consumed events skipped because their id was already stored (resends, redeliveries)',
      registers,
    }),
    appendSeconds: new Histogram({
      name: 'leadscore_ingest_append_duration_seconds',
      help: 'Time to append one consumed batch to the event store (one transaction)',
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers,
    }),
    deadLettered: new Counter({
      name: 'leadscore_ingest_dlq_messages_total',
      help: 'Consumed messages sent to the dead-letter topic, by reason',
      labelNames: ['reason'] as const,
      registers,
    }),
    batchFailures: new Counter({
      name: 'leadscore_ingest_batch_failures_total',
      help: 'Consumed batches that failed (e.g. database down) and will be redelivered',
      registers,
    }),
    consumerLagSeconds: new Gauge({
      name: 'leadscore_ingest_consumer_lag_seconds',
      help: 'Age of the newest message of the last batch handled, per partition: how far the consumer is behind',
      labelNames: ['partition'] as const,
      registers,
    }),
  };
}

export type IngestMetrics = ReturnType<typeof createIngestMetrics>;
