import { type Issue, parseRulesetDocument } from '@leadscore/scoring';
import type { ApiClient } from '../api-client.js';
import { followJob, type RescoringJobView } from '../follow-job.js';
import { readRulesetDocument } from '../read-ruleset-document.js';
import type { Terminal } from '../terminal.js';

export interface CommandContext {
  readonly client: ApiClient;
  readonly terminal: Terminal;
  readonly author: string | undefined;
  readonly pollMs: number;
}

/** `rules validate FILE`: checks the document locally; every problem by path. Exit 1 when invalid. */
export async function validateRules(
  file: string,
  { terminal }: Pick<CommandContext, 'terminal'>,
): Promise<number> {
  const parsed = parseRulesetDocument(await readRulesetDocument(file));
  if (parsed.ok) {
    const { id, engagement, fit } = parsed.document;
    terminal.out(
      `${file}: valid ruleset "${id}" (${engagement.length} engagement rules, ${fit.length} fit rules)`,
    );
    return 0;
  }
  printIssues(file, parsed.issues, terminal);
  return 1;
}

function printIssues(file: string, issues: readonly Issue[], terminal: Terminal): void {
  for (const issue of issues) terminal.err(`${file}: ${issue.path || '(root)'}: ${issue.message}`);
}

interface Drafted {
  readonly version: number;
  readonly status: 'draft' | 'active' | 'retired';
}

/**
 * Drafts the file; the API gives back an equal draft, or the active version, instead of a copy.
 * An invalid file is not sent: its problems are printed as `rules validate` prints them, with the
 * values the file holds (YAML's .nan would reach the API as JSON's null), and undefined returned.
 */
async function draft(file: string, context: CommandContext, comment: string): Promise<Drafted | undefined> {
  const document = await readRulesetDocument(file);
  const parsed = parseRulesetDocument(document);
  if (!parsed.ok) {
    printIssues(file, parsed.issues, context.terminal);
    return undefined;
  }
  const { created, body: drafted } = await context.client.create<Drafted>('/v1/rulesets', {
    ruleset: document,
    comment,
    ...(context.author === undefined ? {} : { author: context.author }),
  });
  context.terminal.err(
    created
      ? `drafted version ${drafted.version}`
      : `version ${drafted.version}: an equal ${drafted.status === 'active' ? 'version is active' : 'draft was already stored'}`,
  );
  return drafted;
}

interface Simulation {
  readonly baselineVersion: number;
  readonly candidateVersion: number;
  readonly leads: number;
  readonly stages: { moves: Record<string, number>; up: number; down: number };
  readonly outcomes: {
    positive: number;
    negative: number;
    baseline: { precision: number | null; recall: number | null };
    candidate: { precision: number | null; recall: number | null };
    medianLeadTimeGainedMs: number | null;
  };
}

const ratio = (value: number | null) => (value === null ? 'n/a' : value.toFixed(3));

/** `rules simulate FILE`: drafts the file and backtests it against the active version. */
export async function simulateRules(file: string, context: CommandContext): Promise<number> {
  const drafted = await draft(file, context, `simulated from ${file}`);
  if (drafted === undefined) return 1;
  const { version } = drafted;
  const report = await context.client.post<Simulation>(`/v1/rulesets/${version}/simulate`, {});
  const { terminal } = context;
  terminal.out(
    `version ${report.candidateVersion} against ${report.baselineVersion} over ${report.leads} leads`,
  );
  terminal.out(`stage moves: ${report.stages.up} up, ${report.stages.down} down`);
  for (const [move, count] of Object.entries(report.stages.moves)) terminal.out(`  ${move}: ${count}`);
  const { outcomes } = report;
  terminal.out(`outcomes: ${outcomes.positive} reached sql/prospect, ${outcomes.negative} disqualified`);
  terminal.out(
    `mql precision ${ratio(outcomes.baseline.precision)} -> ${ratio(outcomes.candidate.precision)}`,
  );
  terminal.out(`mql recall    ${ratio(outcomes.baseline.recall)} -> ${ratio(outcomes.candidate.recall)}`);
  if (outcomes.medianLeadTimeGainedMs !== null) {
    terminal.out(`median lead time gained: ${(outcomes.medianLeadTimeGainedMs / 3_600_000).toFixed(1)} h`);
  }
  return 0;
}

/** How far a job that stopped before finishing got, for its outcome line. */
const stoppedAt = (job: RescoringJobView) =>
  `another version was published while it ran; stopped after ${job.leads.processed} of ${job.leads.total} leads, ` +
  `${job.leads.rescored} rescored, ${job.leads.changed} changed (job ${job.jobId})`;

/**
 * `rules publish FILE`: drafts the file, publishes it and follows the rescoring to the end. A file
 * whose rules are already active publishes nothing: rescoring every lead would change no score.
 * Exit 0 once the version's job completed: every lead is under it. A rebuild asked for meanwhile
 * neither joins nor supersedes that job: it is refused (409 publication-rescoring-running) until
 * the job has completed (a rebuild joins only another running rebuild). Only the publication of
 * another version supersedes it, and then the version is no longer active: exit 1.
 */
export async function publishRules(file: string, context: CommandContext): Promise<number> {
  const drafted = await draft(file, context, `published from ${file}`);
  if (drafted === undefined) return 1;
  const { version, status } = drafted;
  if (status === 'active') {
    context.terminal.out(`version ${version} is already active with these rules: nothing to publish`);
    return 0;
  }
  const published = await context.client.post<{ job: RescoringJobView }>(`/v1/rulesets/${version}/publish`, {
    ...(context.author === undefined ? {} : { author: context.author }),
  });
  const job = await followJob(context.client, context.terminal, published.job.jobId, context.pollMs);
  context.terminal.out(
    job.status === 'completed'
      ? `version ${version} completed: ${job.leads.rescored} leads rescored, ${job.leads.changed} changed (job ${job.jobId})`
      : `version ${version} ${job.status}: ${stoppedAt(job)}`,
  );
  return job.status === 'completed' ? 0 : 1;
}

/**
 * `replay`: rebuilds every lead's score from the store under the active version. While another
 * rebuild runs, the API starts none and answers with that job: replay follows it. While the active
 * version's publication is being rescored, the API refuses (409), and replay says so and exits 1.
 */
export async function replay(context: CommandContext): Promise<number> {
  const started = await context.client.post<RescoringJobView>('/v1/rescoring', {
    ...(context.author === undefined ? {} : { author: context.author }),
  });
  const job = await followJob(context.client, context.terminal, started.jobId, context.pollMs);
  context.terminal.out(
    job.status === 'completed'
      ? `replay under version ${job.rulesetVersion} completed: ${job.leads.rescored} leads, ${job.leads.changed} changed (job ${job.jobId})`
      : `replay under version ${job.rulesetVersion} ${job.status}: ${stoppedAt(job)}`,
  );
  return job.status === 'completed' ? 0 : 1;
}

/** `leads get ID`: the lead as the API shows it, as JSON. */
export async function getLead(id: string, context: CommandContext): Promise<number> {
  const lead = await context.client.get<unknown>(`/v1/leads/${encodeURIComponent(id)}`);
  context.terminal.out(JSON.stringify(lead, null, 2));
  return 0;
}
