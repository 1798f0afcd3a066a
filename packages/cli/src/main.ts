import { ApiError, ApiUnreachableError, apiClient } from './api-client.js';
import {
  type CommandContext,
  getLead,
  publishRules,
  replay,
  simulateRules,
  validateRules,
} from './commands/rules.js';
import { localQuickstart, readQuickstartKey } from './local-quickstart.js';
import { processTerminal, type Terminal } from './terminal.js';

const USAGE = `usage: leadscore <command>

  rules validate FILE   check a ruleset document (.json, .yaml) locally, every problem by path
  rules simulate FILE   draft it and backtest it against the active version
  rules publish FILE    draft it, publish it and follow the rescoring with a progress bar
  leads get ID          show a lead
  replay                rebuild every lead's score from the event store under the active version

environment: LEADSCORE_URL, LEADSCORE_API_KEY (admin scope), LEADSCORE_AUTHOR (recorded with
             drafts and publications). Without LEADSCORE_URL: the quickstart (npm start) on this
             machine, at LEADSCORE_PORT_BASE (default 3000), with the key it keeps in
             LEADSCORE_HOME (default .leadscore) unless LEADSCORE_API_KEY is set.`;

/**
 * The API and key to use. A key from the quickstart's folder is sent only to the quickstart: with
 * LEADSCORE_URL naming another instance, the key must come from LEADSCORE_API_KEY.
 */
function target(env: Readonly<Record<string, string | undefined>>): { url: string; key: string | undefined } {
  if (env.LEADSCORE_URL !== undefined) return { url: httpUrl(env.LEADSCORE_URL), key: env.LEADSCORE_API_KEY };
  const local = localQuickstart(env);
  return { url: local.apiUrl, key: env.LEADSCORE_API_KEY ?? readQuickstartKey(local.keyFile) };
}

function httpUrl(value: string): string {
  const url = URL.canParse(value) ? new URL(value) : undefined;
  if (url?.protocol !== 'http:' && url?.protocol !== 'https:')
    throw new Error(
      `LEADSCORE_URL must be an http or https URL, such as http://127.0.0.1:3000, not "${value}"`,
    );
  return value;
}

const HELP_FLAGS = new Set(['--help', '-h']);

/** Runs one command; resolves to the exit code. Never throws: problems are printed. */
export async function main(
  argv: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
  terminal: Terminal = processTerminal(),
): Promise<number> {
  const [group, action, argument] = argv;
  // A flag anywhere (`leadscore rules validate --help`) is never read as a file or a lead id;
  // `help` only as the command, since a lead may be called that.
  if (group === 'help' || argv.some((word) => HELP_FLAGS.has(word))) {
    terminal.out(USAGE);
    return 0;
  }
  try {
    const { url, key } = target(env);
    const context: CommandContext = {
      client: apiClient(url, key),
      terminal,
      author: env.LEADSCORE_AUTHOR,
      pollMs: 500,
    };
    if (group === 'rules' && action === 'validate' && argument) return await validateRules(argument, context);
    if (group === 'rules' && action === 'simulate' && argument) return await simulateRules(argument, context);
    if (group === 'rules' && action === 'publish' && argument) return await publishRules(argument, context);
    if (group === 'leads' && action === 'get' && argument) return await getLead(argument, context);
    if (group === 'replay' && action === undefined) return await replay(context);
    terminal.err(USAGE);
    return 2;
  } catch (error) {
    if (error instanceof ApiError) {
      const fields = error.problem.errors ?? [];
      // A validation problem's detail joins its fields; each is printed on its own line instead.
      terminal.err(
        fields.length > 0
          ? `leadscore: ${error.status} ${error.problem.title ?? 'error'}`
          : `leadscore: ${error.message}`,
      );
      for (const field of fields) terminal.err(`  ${field.path}: ${field.message}`);
      return 1;
    }
    if (error instanceof ApiUnreachableError) {
      terminal.err(
        `leadscore: ${error.message}: is leadscore running there? (npm start, or set LEADSCORE_URL)`,
      );
      return 1;
    }
    terminal.err(`leadscore: ${(error as Error).message}`);
    return 1;
  }
}
