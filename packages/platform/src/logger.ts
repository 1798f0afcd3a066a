import { type Logger, type LoggerOptions, pino } from 'pino';

export type { Logger } from 'pino';

/**
 * Paths pino replaces with "[redacted]" wherever they appear in a log line. Credentials
 * travel in headers and config; a log pipeline is not a place to keep them.
 */
export const REDACTED_PATHS = [
  'req.headers.authorization',
  'req.headers["x-api-key"]',
  'req.headers["x-leadscore-signature"]',
  'req.headers.cookie',
  'headers.authorization',
  '*.apiKey',
  '*.apiKeys',
  '*.hmacSecret',
  '*.password',
  '*.databaseUrl',
  'config.database.url',
  'config.ingest',
  'config.api',
];

export interface LoggerSettings {
  readonly service: string;
  readonly level: LoggerOptions['level'];
  /** Where lines go; stdout when omitted. Tests pass a stream to read what was logged. */
  readonly destination?: pino.DestinationStream;
}

/** One JSON line per event on stdout, every line tagged with the service name. */
export function createLogger({ service, level, destination = stdout() }: LoggerSettings): Logger {
  const options: LoggerOptions = {
    level,
    base: { service },
    redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label) => ({ level: label }) },
  };
  return pino(options, destination);
}

/**
 * Synchronous writes to fd 1. pino's default stdout stream writes asynchronously, and at
 * process.exit it flushes what is queued synchronously while the write already in flight lands
 * later: the last lines of a shutdown ("stopped") came out before earlier ones, or not at all.
 */
function stdout(): pino.DestinationStream {
  return pino.destination({ dest: 1, sync: true });
}
