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

/**
 * kafkajs's connection logs, at error, every CreateTopics answer that holds a topic error, before
 * its admin client reads the answer. At every start after the first, that error is
 * TOPIC_ALREADY_EXISTS, which the admin client takes as success. The line names neither the topic
 * nor the cause, so it cannot tell that from a real failure: it goes to debug, and ClusterAdmin
 * logs real failures at error, naming the topic and the broker's reason.
 */
function isTopicCreationAnswer(
  namespace: string,
  message: string,
  context: Record<string, unknown>,
): boolean {
  return (
    namespace === 'Connection' &&
    message.startsWith('Response CreateTopics') &&
    context.error === 'Topic creation errors'
  );
}

/** Routes kafkajs's own log lines into the service's pino logger, one structured line each. */
export function pinoLogCreator(logger: Logger): logCreator {
  const kafkaLogger = logger.child({ component: 'kafkajs' });
  return () =>
    ({ namespace, level, log }) => {
      const { message, timestamp: _timestamp, logger: _name, ...context } = log;
      const fields = { kafkajs: namespace, ...context };
      if (DELIBERATE_SETTINGS.has(message) || isTopicCreationAnswer(namespace, message, context)) {
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
