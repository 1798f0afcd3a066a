import { type logCreator, logLevel } from 'kafkajs';
import type { Logger } from 'pino';

/**
 * Warnings kafkajs prints about settings this adapter chose on purpose and compensates for.
 * Left at warn they would appear at every start and teach operators to ignore warnings.
 */
const DELIBERATE_SETTINGS = new Set([
  // Retries are bounded so publish fails instead of hanging while Kafka is down; the publisher
  // replaces its producer after any failure, which is what keeps the idempotence guarantee.
  'Limiting retries for the idempotent producer may invalidate EoS guarantees',
]);

/** Routes kafkajs's own log lines into the service's pino logger, one structured line each. */
export function pinoLogCreator(logger: Logger): logCreator {
  const kafkaLogger = logger.child({ component: 'kafkajs' });
  return () =>
    ({ namespace, level, log }) => {
      const { message, timestamp: _timestamp, logger: _name, ...context } = log;
      const fields = { kafkajs: namespace, ...context };
      if (DELIBERATE_SETTINGS.has(message)) {
        kafkaLogger.debug(fields, message);
        return;
      }
      switch (level) {
        case logLevel.ERROR:
          kafkaLogger.error(fields, message);
          break;
        case logLevel.WARN:
          kafkaLogger.warn(fields, message);
          break;
        case logLevel.INFO:
          kafkaLogger.info(fields, message);
          break;
        default:
          kafkaLogger.debug(fields, message);
      }
    };
}

export type KafkaLogLevel = 'error' | 'warn' | 'info' | 'debug';

export function toKafkajsLogLevel(level: KafkaLogLevel): logLevel {
  return { error: logLevel.ERROR, warn: logLevel.WARN, info: logLevel.INFO, debug: logLevel.DEBUG }[level];
}
