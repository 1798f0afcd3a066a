import { Counter, Gauge, type Registry } from 'prom-client';

/** Rescoring progress as Prometheus sees it, registered on the app's registry (/metrics). */
export function createRescoringMetrics(registry: Registry) {
  const registers = [registry];
  return {
    progress: new Gauge({
      name: 'leadscore_rescoring_progress_ratio',
      help: 'Share of leads the rescoring job for a ruleset version has looked at (1 when complete)',
      labelNames: ['ruleset_version'] as const,
      registers,
    }),
    remainingLeads: new Gauge({
      name: 'leadscore_rescoring_remaining_leads',
      help: 'Leads the rescoring job for a ruleset version has still to look at',
      labelNames: ['ruleset_version'] as const,
      registers,
    }),
    leads: new Counter({
      name: 'leadscore_rescoring_leads_total',
      help: 'Leads looked at by rescoring jobs: rescored by the job, or skipped (already under the version)',
      labelNames: ['outcome'] as const,
      registers,
    }),
    eventsReplayed: new Counter({
      name: 'leadscore_rescoring_events_replayed_total',
      help: 'Stored events replayed by rescoring jobs',
      registers,
    }),
    batchFailures: new Counter({
      name: 'leadscore_rescoring_batch_failures_total',
      help: 'Rescoring batches that failed and will run again from the same checkpoint',
      registers,
    }),
  };
}

export type RescoringMetrics = ReturnType<typeof createRescoringMetrics>;
