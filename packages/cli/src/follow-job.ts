import type { ApiClient } from './api-client.js';
import { type JobProgress, renderProgress } from './progress-bar.js';
import type { Terminal } from './terminal.js';

export interface RescoringJobView extends JobProgress {
  readonly jobId: string;
  readonly rulesetVersion: number;
  /** A rebuild under the active version; false for a publication's job. */
  readonly rebuild: boolean;
  readonly leads: JobProgress['leads'] & { readonly rescored: number; readonly changed: number };
}

/**
 * Polls a rescoring job, drawing its progress, until it is no longer running: completed, or
 * superseded (another version was published; its progress says how far it got). The last line
 * drawn is the API's progress, which is 100 % only for a completed job.
 */
export async function followJob(
  client: ApiClient,
  terminal: Terminal,
  jobId: string,
  pollMs: number,
): Promise<RescoringJobView> {
  for (;;) {
    const job = await client.get<RescoringJobView>(`/v1/rescoring/${encodeURIComponent(jobId)}`);
    terminal.progress(renderProgress(job, Date.now()));
    if (job.status !== 'running') {
      terminal.endProgress();
      return job;
    }
    await new Promise((resolve) => setTimeout(resolve, pollMs));
  }
}
