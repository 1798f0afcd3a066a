import { randomBytes } from 'node:crypto';

/**
 * Broker settings for tests, shared by the broker started from jars and the container, so
 * both behave alike: one node, topics created on first use, consumer groups that start at once.
 */
export const TEST_BROKER_SETTINGS: Readonly<Record<string, string>> = {
  'num.partitions': '3',
  'default.replication.factor': '1',
  'auto.create.topics.enable': 'true',
  'delete.topic.enable': 'true',
  // The internal topics default to 50 partitions, which makes the first consumer group slow to start.
  'offsets.topic.replication.factor': '1',
  'offsets.topic.num.partitions': '5',
  'transaction.state.log.replication.factor': '1',
  'transaction.state.log.min.isr': '1',
  'transaction.state.log.num.partitions': '5',
  'group.initial.rebalance.delay.ms': '0',
  // Lets tests use short consumer session timeouts to exercise rebalances quickly.
  'group.min.session.timeout.ms': '1000',
  'num.network.threads': '2',
  'num.io.threads': '4',
  'log.flush.interval.messages': '9223372036854775807',
};

/** The apache/kafka image reads `KAFKA_*` variables: `num.partitions` -> `KAFKA_NUM_PARTITIONS`. */
export function asKafkaImageEnvironment(settings: Readonly<Record<string, string>>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(settings).map(([key, value]) => [
      `KAFKA_${key.toUpperCase().replaceAll('.', '_')}`,
      value,
    ]),
  );
}

/** `key=value` lines of a Java properties file. */
export function asProperties(settings: Readonly<Record<string, string>>): string {
  return `${Object.entries(settings)
    .map(([key, value]) => `${key}=${value}`)
    .join('\n')}\n`;
}

/**
 * Kafka cluster ids are 16 random bytes in URL-safe base64 without padding (22 characters);
 * generating one here saves a JVM start for `kafka-storage random-uuid`. Like Kafka's own
 * generator it avoids a leading '-', which the command line would take for an option.
 */
export function newClusterId(): string {
  for (;;) {
    const id = randomBytes(16).toString('base64url');
    if (!id.startsWith('-')) return id;
  }
}
