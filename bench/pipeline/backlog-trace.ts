import type { PipelineWatch } from '../../tests/e2e/support/quiescence.js';

const EVERY_MS = 5_000;

/**
 * Prints where the backlog sits, stage by stage, every few seconds under load and while the
 * pipeline drains: the stage whose backlog grows while the others stay empty limits the rate.
 */
export function traceBacklog(watch: PipelineWatch, since: number): { stop(): void } {
  const timer = setInterval(() => {
    watch
      .progress()
      .then(({ lag, unrelayed, unpublished }) => {
        const [ingest, scoring, projector] = Object.values(lag);
        const seconds = ((Date.now() - since) / 1000).toFixed(0);
        process.stdout.write(
          `  backlog at +${seconds} s: activity lag ${ingest}, unrelayed ${unrelayed}, lead-events lag ${scoring}, unpublished ${unpublished}, score-changed lag ${projector}\n`,
        );
      })
      .catch((error: unknown) => process.stdout.write(`  backlog not read (${String(error)})\n`));
  }, EVERY_MS);
  return { stop: () => clearInterval(timer) };
}
