import { Counter, type Registry } from 'prom-client';

/** The projector's metrics, registered on the registry the app serves at /metrics. */
export function createProjectorMetrics(registry: Registry) {
  const registers = [registry];
  return {
    stageChanges: new Counter({
      name: 'leadscore_projector_stage_changes_total',
      help: 'LeadStageChanged events appended, by target stage and reason',
      labelNames: ['to', 'reason'] as const,
      registers,
    }),
    scoreChanges: new Counter({
      name: 'leadscore_projector_score_changes_total',
      help: 'Score-changed messages consumed, by outcome: decided, duplicate (already decided, redelivered), unreadable or unknown-ruleset (skipped)',
      labelNames: ['outcome'] as const,
      registers,
    }),
    versionConflicts: new Counter({
      name: 'leadscore_projector_version_conflicts_total',
      help: "Stage decisions retried because the lead's stream moved between read and append",
      registers,
    }),
    batchFailures: new Counter({
      name: 'leadscore_projector_batch_failures_total',
      help: 'Consumed batches that failed (database down, ruleset version not found yet) and will be redelivered',
      registers,
    }),
    decayChecks: new Counter({
      name: 'leadscore_projector_decay_checks_total',
      help: 'Scheduled decay checks run, by outcome',
      labelNames: ['outcome'] as const,
      registers,
    }),
  };
}

export type ProjectorMetrics = ReturnType<typeof createProjectorMetrics>;
