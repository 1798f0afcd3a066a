import type { PipelineWatch, Progress } from '../../tests/e2e/support/quiescence.js';
import type { SteadyLoadResult } from './steady-load.js';

export interface StepResult {
  readonly rate: number;
  readonly achievedEventsPerSecond: number;
  readonly failedRequests: number;
  readonly failures: Readonly<Record<string, number>>;
  /** Messages in flight anywhere (consumer lag on every topic, relay and outbox arrears). */
  readonly backlogAtEnd: number;
  /** Backlog growth over the second half of the step, messages per second. */
  readonly backlogGrowthPerSecond: number;
  /** From the end of the load to a quiet pipeline. */
  readonly drainSeconds: number;
  readonly sustained: boolean;
}

export interface SustainedRateOptions {
  readonly rates: readonly number[];
  readonly stepSeconds: number;
  readonly watch: PipelineWatch;
  readonly run: (eventsPerSecond: number, tag: string) => Promise<SteadyLoadResult>;
  readonly log: (line: string) => void;
}

const backlogOf = (progress: Progress) =>
  Object.values(progress.lag).reduce((sum, lag) => sum + lag, 0) + progress.unrelayed + progress.unpublished;

/** Least-squares slope of (seconds, backlog) samples. */
function slope(samples: readonly [number, number][]): number {
  const n = samples.length;
  if (n < 2) return 0;
  const meanX = samples.reduce((sum, [x]) => sum + x, 0) / n;
  const meanY = samples.reduce((sum, [, y]) => sum + y, 0) / n;
  const covariance = samples.reduce((sum, [x, y]) => sum + (x - meanX) * (y - meanY), 0);
  const variance = samples.reduce((sum, [x]) => sum + (x - meanX) ** 2, 0);
  return variance === 0 ? 0 : covariance / variance;
}

/**
 * The slope alone misjudges a pipeline that keeps up in batches: its backlog is a sawtooth of
 * thousands of messages, and a few samples of it (each reading takes a while under load) can
 * slope up by chance. A step that ended less than a second of load behind and was quiet again
 * within 2 s did not fall behind, whatever the slope says.
 */
function caughtUpAtEnd(step: Pick<StepResult, 'rate' | 'backlogAtEnd' | 'drainSeconds'>): boolean {
  return step.backlogAtEnd < step.rate && step.drainSeconds < 2;
}

/**
 * Runs the rates in turn, stopping after the first the pipeline cannot sustain. A rate is
 * sustained when the webhook took at least 97% of it without failures and the backlog did not
 * keep growing: over the second half of the step it grew by less than 5% of the rate per second,
 * or the step ended caught up (see caughtUpAtEnd).
 * The backlog counts messages (each event makes about three on its way), so a pipeline that falls
 * behind grows it by a multiple of its shortfall every second.
 */
export async function measureSustainedRate(options: SustainedRateOptions): Promise<StepResult[]> {
  const results: StepResult[] = [];
  for (const rate of options.rates) {
    const samples: [number, number][] = [];
    const began = Date.now();
    let sampling = true;
    const sampler = (async () => {
      while (sampling) {
        samples.push([(Date.now() - began) / 1000, backlogOf(await options.watch.progress())]);
        await new Promise((resolve) => setTimeout(resolve, 1_000));
      }
    })();
    const load = await options.run(rate, `max${rate}`);
    sampling = false;
    await sampler;
    const endedAt = Date.now();
    const backlogAtEnd = backlogOf(await options.watch.progress());
    await options.watch.untilQuiet(1_200_000);
    const secondHalf = samples.filter(([seconds]) => seconds >= options.stepSeconds / 2);
    const growth = slope(secondHalf);
    const step = {
      rate,
      achievedEventsPerSecond: Math.round(load.achievedEventsPerSecond),
      failedRequests: load.failedRequests,
      failures: load.failures,
      backlogAtEnd,
      backlogGrowthPerSecond: Math.round(growth),
      drainSeconds: Number(((Date.now() - endedAt) / 1000).toFixed(1)),
    };
    const result: StepResult = {
      ...step,
      sustained:
        load.failedRequests === 0 &&
        load.accepted >= 0.97 * rate * options.stepSeconds &&
        (growth < 0.05 * rate || caughtUpAtEnd(step)),
    };
    options.log(`  ${rate} events/s: ${JSON.stringify(result)}`);
    results.push(result);
    if (!result.sustained) break;
  }
  return results;
}
