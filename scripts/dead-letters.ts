/**
 * `pnpm dead-letters`: prints what the ingest consumer dead-lettered (docs/OPERATIONS.md, "Dead
 * letters"), one JSON line per message on stdout, so it can be filtered with jq and the values
 * fixed and posted again. A summary goes to stderr. It reads the topic up to where it ended when
 * the command started and commits nothing: running it changes no consumer's position, and two
 * runs show the same messages.
 */
import { topics } from '../packages/contracts/src/index.js';
import { envSchema, exitOnConfigError, parseEnv } from '../packages/platform/src/index.js';
import { deadLetterLine } from './dead-letters/dead-letter-line.js';
import { readToEnd, TopicMissingError } from './dead-letters/read-to-end.js';
import { parseSince } from './dead-letters/since-option.js';
import { exitWithUsage, parseCommandLine } from './lib/command-line.js';

const USAGE = `Usage: pnpm dead-letters [--since=WHEN] [--limit=N]

Prints the messages of the dead-letter topic (<TOPIC_PREFIX>leadscore.activity.dlq.v1), one JSON
line each (partition, offset, timestamp, key, headers with the x-dlq-* reason, value), each
partition oldest first. Commits nothing. Needs KAFKA_BROKERS, and TOPIC_PREFIX when the
deployment has one.

  --since=WHEN  only messages written at or after WHEN: an instant (2026-12-07T09:00:00Z,
                2026-12-07) or a time ago (30m, 6h, 7d)
  --limit=N     at most N messages`;

// The command line first: a typo is answered with the usage whatever the environment holds.
const values = parseCommandLine(USAGE, { since: { type: 'string' }, limit: { type: 'string' } });
const since = values.since === undefined ? undefined : parseSince(values.since, Date.now());
if (values.since !== undefined && since === undefined) {
  exitWithUsage(USAGE, `--since must be an instant or a time ago such as 6h, got "${values.since}"`);
}
const limit = values.limit === undefined ? undefined : Number(values.limit);
if (limit !== undefined && !(Number.isSafeInteger(limit) && limit >= 1)) {
  exitWithUsage(USAGE, `--limit must be a whole number >= 1, got "${values.limit}"`);
}
const env = exitOnConfigError(() =>
  parseEnv(
    envSchema.pick({ KAFKA_BROKERS: true, TOPIC_PREFIX: true }),
    process.env,
    'leadscore dead-letters',
  ),
);
const topic = topics(env.TOPIC_PREFIX).activityDlq;
const brokers = env.KAFKA_BROKERS.join(',');

// `pnpm dead-letters | head` closes the pipe early: that is the reader having seen enough.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(0);
  throw error;
});

try {
  const { read, unfinished } = await readToEnd({
    brokers: env.KAFKA_BROKERS,
    topic,
    since,
    limit,
    onMessage: (message) => process.stdout.write(`${JSON.stringify(deadLetterLine(message))}\n`),
  });
  process.stderr.write(`${read} dead letter(s) read from ${topic}\n`);
  if (unfinished.length > 0) {
    process.stderr.write(
      `gave up on partition(s) ${unfinished.join(', ')}: nothing more came before their end; run it again\n`,
    );
    process.exitCode = 1;
  }
} catch (error) {
  process.stderr.write(
    error instanceof TopicMissingError
      ? `${topic} does not exist on KAFKA_BROKERS=${brokers}: is TOPIC_PREFIX right? (ingest creates the topic when it first starts)\n`
      : `could not read ${topic} from KAFKA_BROKERS=${brokers}: ${error instanceof Error ? error.message : String(error)}\n`,
  );
  process.exitCode = 1;
}
