export interface JobProgress {
  readonly status: string;
  readonly progress: number;
  readonly leads: { readonly processed: number; readonly total: number };
  readonly etaAt: string | null;
}

/** One line of progress (pure): bar, percentage, leads, and the ETA as seconds from `now`. */
export function renderProgress(job: JobProgress, now: number, width = 30): string {
  const fraction = Math.min(1, Math.max(0, job.progress));
  const filled = Math.round(fraction * width);
  const bar = `${'#'.repeat(filled)}${'-'.repeat(width - filled)}`;
  const percent = `${(fraction * 100).toFixed(1)}%`.padStart(6);
  const eta =
    job.etaAt === null ? '' : ` eta ${Math.max(0, Math.round((Date.parse(job.etaAt) - now) / 1000))}s`;
  return `[${bar}] ${percent} ${job.leads.processed}/${job.leads.total} leads ${job.status}${eta}`;
}
