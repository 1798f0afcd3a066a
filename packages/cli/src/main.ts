import { ApiError, apiClient } from './api-client.js';
import {
  type CommandContext,
  getLead,
  publishRules,
  replay,
  simulateRules,
  validateRules,
} from './commands/rules.js';
import { processTerminal, type Terminal } from './terminal.js';

const USAGE = `usage: leadscore <command>

  rules validate FILE   check a ruleset document (.json, .yaml) locally, every problem by path
  rules simulate FILE   draft it and backtest it against the active version
  rules publish FILE    draft it, publish it and follow the rescoring with a progress bar
  leads get ID          show a lead
  replay                rebuild every lead's score from the event store under the active version

environment: LEADSCORE_URL (default http://127.0.0.1:3000), LEADSCORE_API_KEY (admin scope),
             LEADSCORE_AUTHOR (recorded with drafts and publications)`;

/** Runs one command; resolves to the exit code. Never throws: problems are printed. */
export async function main(
  argv: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
  terminal: Terminal = processTerminal(),
): Promise<number> {
  const context: CommandContext = {
    client: apiClient(env.LEADSCORE_URL ?? 'http://127.0.0.1:3000', env.LEADSCORE_API_KEY),
    terminal,
    author: env.LEADSCORE_AUTHOR,
    pollMs: 500,
  };
  const [group, action, argument] = argv;
  try {
    if (group === 'rules' && action === 'validate' && argument) return await validateRules(argument, context);
    if (group === 'rules' && action === 'simulate' && argument) return await simulateRules(argument, context);
    if (group === 'rules' && action === 'publish' && argument) return await publishRules(argument, context);
    if (group === 'leads' && action === 'get' && argument) return await getLead(argument, context);
    if (group === 'replay' && action === undefined) return await replay(context);
    terminal.err(USAGE);
    return 2;
  } catch (error) {
    if (error instanceof ApiError) {
      terminal.err(`leadscore: ${error.message}`);
      for (const field of error.problem.errors ?? []) terminal.err(`  ${field.path}: ${field.message}`);
      return 1;
    }
    terminal.err(`leadscore: ${(error as Error).message}`);
    return 1;
  }
}
