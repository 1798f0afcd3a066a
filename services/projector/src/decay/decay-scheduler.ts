import { atomically } from '@leadscore/eventstore';
import type pg from 'pg';
import type { Logger } from 'pino';
import type { ProjectorMetrics } from '../metrics.js';
import type { RulesetCatalog } from '../ruleset-catalog.js';
import { claimDueChecks, rescheduleCheck } from '../stages/lead-stage-table.js';
import { recordStageDecision } from '../stages/record-stage-decision.js';
import { decayObservation } from './decay-observation.js';

export interface DecaySchedulerOptions {
  readonly pool: pg.Pool;
  readonly rulesets: RulesetCatalog;
  /** The clock (epoch ms); injected so tests can move time. */
  readonly now: () => number;
  readonly logger: Logger;
  readonly metrics: ProjectorMetrics;
  /** How often due checks are looked for: the most a check can run late. */
  readonly intervalMs?: number;
  /** Leads claimed per transaction. */
  readonly batchSize?: number;
  /** How long a check that failed waits before it is tried again. */
  readonly retryDelayMs?: number;
}

export interface DecayScheduler {
  /** Runs every check due now; resolves with how many leads were checked. */
  checkDue(): Promise<number>;
  /** Stops the timer and waits for the round in hand. */
  stop(): Promise<void>;
}

/**
 * Runs each lead's decay check when it falls due (lead_stages.next_check_at, set from the next
 * crossing of its score): decay-driven changes (temperature, opt-in demotion) happen on time, and
 * each round reads only the due leads, never all of them. Checks are claimed with SKIP LOCKED,
 * so several projector instances share them and none is run twice at once.
 */
export function startDecayScheduler(options: DecaySchedulerOptions): DecayScheduler {
  const { logger, metrics } = options;
  const intervalMs = options.intervalMs ?? 1_000;
  const batchSize = options.batchSize ?? 100;
  const retryDelayMs = options.retryDelayMs ?? 60_000;
  let timer: NodeJS.Timeout | undefined;
  let inFlight: Promise<unknown> = Promise.resolve();
  let stopped = false;

  async function checkBatch(): Promise<number> {
    const now = options.now();
    return atomically(options.pool, 'decay checks', async (client) => {
      const due = await claimDueChecks(client, now, batchSize);
      for (const { leadId, at } of due) {
        try {
          // Joins this transaction under a savepoint: a failed lead undoes only its own check.
          await recordStageDecision(client, leadId, decayObservation(options.rulesets, now), {
            logger,
            metrics,
          });
          metrics.decayChecks.inc({ outcome: 'checked' });
        } catch (error) {
          metrics.decayChecks.inc({ outcome: 'failed' });
          logger.error(
            { err: error, leadId, dueAt: new Date(at).toISOString() },
            'decay check failed; retrying later',
          );
          await rescheduleCheck(client, leadId, now + retryDelayMs);
        }
      }
      return due.length;
    });
  }

  async function checkDue(): Promise<number> {
    let checked = 0;
    for (;;) {
      const count = await checkBatch();
      checked += count;
      if (count < batchSize || stopped) return checked;
    }
  }

  function schedule(): void {
    if (stopped) return;
    timer = setTimeout(() => {
      inFlight = checkDue()
        .catch((error: unknown) => logger.error({ err: error }, 'decay check round failed'))
        .finally(schedule);
    }, intervalMs);
  }

  schedule();
  return {
    checkDue,
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await inFlight;
    },
  };
}
