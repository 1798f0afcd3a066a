import type { ApiClient } from './api-client.js';
import { type JobProgress, renderProgress } from './progress-bar.js';
import type { Terminal } from './terminal.js';

export interface RescoringJobView extends JobProgress {
  readonly jobId: string;
  readonly rulesetVersion: number;
  readonly leads: JobProgress['leads'] & { readonly rescored: number; readonly changed: number };
}

/** Polls a rescoring job, drawing its progress, until it is no longer running. */
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
