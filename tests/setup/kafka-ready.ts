import { Kafka, logLevel } from 'kafkajs';
import { TestInfraError } from './errors.js';
import { TEST_BROKER_SETTINGS } from './kafka-settings.js';

export interface ReadinessOptions {
  readonly timeoutMs: number;
  /** Explains why waiting is pointless (the process died), or undefined while it may still come up. */
  readonly gaveUp?: () => string | undefined;
  /** Appended to the timeout error, e.g. the end of the broker log. */
  readonly diagnostics?: () => string;
}

/**
 * Resolves once a broker we started serves what tests use from their first line: metadata
 * requests, consumer groups and idempotent producers. A fresh broker answers metadata well
 * before it has created and loaded the group-offsets topic, and until then joining a group
 * fails with "The coordinator is loading"; tests must not see that start-up state.
 */
export async function waitForKafkaReady(brokers: string[], options: ReadinessOptions): Promise<void> {
  const kafka = new Kafka({
    clientId: 'leadscore-test-setup',
    brokers,
    logLevel: logLevel.NOTHING,
    connectionTimeout: 1_000,
    retry: { retries: 0 },
  });
  const deadline = Date.now() + options.timeoutMs;
  const admin = kafka.admin();
  try {
    await pollUntil('answer a metadata request', options, deadline, brokers, async () => {
      await admin.connect();
      await admin.describeCluster();
    });
    await pollUntil('load its consumer group coordinators', options, deadline, brokers, async () => {
      await admin.describeGroups(groupIdsCoveringEveryOffsetsPartition());
    });
    await pollUntil('accept an idempotent producer', options, deadline, brokers, async () => {
      // kafkajs refuses an idempotent producer without retries; one is the least it takes.
      const producer = kafka.producer({ idempotent: true, retry: { retries: 1 } });
      try {
        await producer.connect();
      } finally {
        await producer.disconnect().catch(() => {});
      }
    });
  } finally {
    await admin.disconnect().catch(() => {});
  }
}

async function pollUntil(
  what: string,
  options: ReadinessOptions,
  deadline: number,
  brokers: string[],
  attempt: () => Promise<void>,
): Promise<void> {
  let lastError = 'no attempt yet';
  while (Date.now() < deadline) {
    const reason = options.gaveUp?.();
    if (reason) {
      throw new TestInfraError('PROCESS_EXITED', `${reason}\n${options.diagnostics?.() ?? ''}`, { brokers });
    }
    try {
      await attempt();
      return;
    } catch (error) {
      lastError = (error as Error).message;
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new TestInfraError(
    'KAFKA_NOT_READY',
    `Kafka at ${brokers.join(',')} did not ${what} within ${options.timeoutMs} ms (last error: ${lastError})\n${options.diagnostics?.() ?? ''}`,
    { brokers, timeoutMs: options.timeoutMs },
  );
}

/**
 * Group ids that, between them, live on every partition of the group-offsets topic. Kafka
 * places a group on partition `abs(javaHashCode(groupId)) % partitions`; describing one group per
 * partition makes the broker create the topic and load each partition before tests start.
 */
export function groupIdsCoveringEveryOffsetsPartition(
  partitions = Number(TEST_BROKER_SETTINGS['offsets.topic.num.partitions']),
): string[] {
  const byPartition = new Map<number, string>();
  for (let i = 0; byPartition.size < partitions; i += 1) {
    const groupId = `leadscore-warm-up-${i}`;
    const partition = (javaStringHashCode(groupId) & 0x7fffffff) % partitions;
    if (!byPartition.has(partition)) byPartition.set(partition, groupId);
  }
  return [...byPartition.values()];
}

/** java.lang.String#hashCode: s[0]*31^(n-1) + ... + s[n-1], in 32-bit two's complement. */
export function javaStringHashCode(text: string): number {
  let hash = 0;
  for (let i = 0; i < text.length; i += 1) hash = (Math.imul(hash, 31) + text.charCodeAt(i)) | 0;
  return hash;
}
