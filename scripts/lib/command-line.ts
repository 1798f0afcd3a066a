import { type ParseArgsConfig, parseArgs } from 'node:util';

type Options = NonNullable<ParseArgsConfig['options']>;

/**
 * An operator command told what it cannot do (an unknown or misspelt option, a bad value): the
 * problem and the usage on stderr, exit code 2, the shell's convention for a command used
 * wrongly. A stack trace says nothing useful about a typo.
 */
export function exitWithUsage(usage: string, problem: string): never {
  process.stderr.write(`${problem}\n\n${usage}\n`);
  process.exit(2);
}

/** The command's `--name=value` options; anything else it was given ends it with exitWithUsage. */
export function parseCommandLine<const O extends Options>(
  usage: string,
  options: O,
  args: readonly string[] = process.argv.slice(2),
) {
  try {
    return parseArgs({ args: [...args], options, strict: true, allowPositionals: false }).values;
  } catch (error) {
    return exitWithUsage(usage, error instanceof Error ? error.message : String(error));
  }
}
