export interface ConfigProblem {
  readonly variable: string;
  readonly reason: string;
}

/** The environment does not describe a runnable service; lists every problem found, not just the first. */
export class ConfigError extends Error {
  readonly code = 'CONFIG_INVALID';
  override readonly name = 'ConfigError';

  constructor(
    /** What was being configured, e.g. "leadscore api". */
    readonly subject: string,
    readonly problems: readonly ConfigProblem[],
  ) {
    super(
      [
        `Invalid configuration for ${subject}: ${problems.length} problem(s) in the environment`,
        ...problems.map(({ variable, reason }) => `  - ${variable}: ${reason}`),
        'See the configuration table in README.md.',
      ].join('\n'),
    );
  }
}
