import type { Topics } from '@leadscore/contracts';
import type { Bus } from '@leadscore/kafka';
import { DEFAULT_RESCORING_BATCH_SIZE } from '@leadscore/platform';
import { progressOf, type StoredRulesets } from '@leadscore/rulesets';
import type pg from 'pg';
import type { Logger } from 'pino';
import { publishPending } from '../consumer/publish-pending.js';
import type { ScoringMetrics } from '../metrics.js';
import type { RescoreBatchOutcome } from './rescore-batch.js';
import type { RescoringMetrics } from './rescoring-metrics.js';
import { rescoringPipeline } from './rescoring-pipeline.js';

export interface RescoringRunnerOptions {
  readonly pool: pg.Pool;
  readonly bus: Bus;
  readonly rulesets: StoredRulesets;
  readonly topics: Pick<Topics, 'scoreChanged' | 'alerts'>;
  readonly logger: Logger;
  readonly metrics: RescoringMetrics;
  readonly scoringMetrics: ScoringMetrics;
  readonly now: () => number;
  /** Leads per batch (one transaction each); default DEFAULT_RESCORING_BATCH_SIZE. */
  readonly batchSize?: number;
  /** How often to look for a job when there is none. */
  readonly idleMs?: number;
}

export interface RescoringRunner {
  /** Runs one batch now (tests, the CLI's replay); resolves to the outcome. */
  runBatch(): Promise<RescoreBatchOutcome>;
  /** Finishes the batch in hand and stops. */
  stop(): Promise<void>;
}

/**
 * Runs rescoring jobs in the scoring service: batch after batch while a job is running, polling
 * when none is. Every instance runs one; they take turns on a job (see claimRunningJob), and one
 * that crashes leaves the job at its last committed checkpoint for the next to resume.
 */
export function startRescoringRunner(options: RescoringRunnerOptions): RescoringRunner {
  const { logger, metrics } = options;
  const idleMs = options.idleMs ?? 1_000;
  let stopping = false;
  let wake: (() => void) | undefined;
  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, ms);
      wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });

  const pipeline = rescoringPipeline(
    {
      pool: options.pool,
      rulesets: options.rulesets,
      topics: options.topics,
      batchSize: options.batchSize ?? DEFAULT_RESCORING_BATCH_SIZE,
      now: options.now,
    },
    (error) =>
      logger.warn({ err: error }, 'preparing a rescoring batch ahead failed; it runs in its transaction'),
  );

  async function runBatch(): Promise<RescoreBatchOutcome> {
    const outcome = await pipeline.runBatch();
    await publishPending(options.bus, options.pool, outcome.pending, options.scoringMetrics);
    report(outcome);
    return outcome;
  }

  function report({ job, batch }: RescoreBatchOutcome): void {
    if (job === undefined || batch === undefined) return;
    const version = String(job.rulesetVersion);
    const progress = progressOf(job, options.now());
    metrics.progress.set({ ruleset_version: version }, progress.fraction);
    metrics.remainingLeads.set({ ruleset_version: version }, progress.remainingLeads);
    metrics.leads.inc({ outcome: 'rescored' }, batch.rescoredLeads);
    metrics.leads.inc({ outcome: 'skipped' }, batch.skippedLeads);
    metrics.eventsReplayed.inc(batch.eventsReplayed);
    if (job.status === 'completed') {
      logger.info(
        {
          jobId: job.jobId,
          rulesetVersion: job.rulesetVersion,
          processedLeads: job.processedLeads,
          rescoredLeads: job.rescoredLeads,
          changedLeads: job.changedLeads,
          eventsReplayed: job.eventsReplayed,
        },
        'rescoring job completed',
      );
    }
  }

  async function loop(): Promise<void> {
    let failures = 0;
    while (!stopping) {
      try {
        const { job, batch } = await runBatch();
        failures = 0;
        if (job === undefined || batch?.finished) await sleep(idleMs);
      } catch (error) {
        failures += 1;
        metrics.batchFailures.inc();
        const delayMs = Math.min(10_000, 100 * 2 ** (failures - 1));
        logger.error(
          { err: error, failures, delayMs },
          'rescoring batch failed; it runs again from its checkpoint',
        );
        await sleep(delayMs);
      }
    }
  }

  const running = loop();
  return {
    runBatch,
    async stop() {
      stopping = true;
      wake?.();
      await running;
      await pipeline.settle();
    },
  };
}
