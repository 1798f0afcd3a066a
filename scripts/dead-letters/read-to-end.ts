import { randomUUID } from 'node:crypto';
import { Kafka, type KafkaMessage, logLevel } from 'kafkajs';

export interface TopicMessage {
  readonly partition: number;
  readonly message: KafkaMessage;
}

export interface ReadToEndOptions {
  readonly brokers: readonly string[];
  readonly topic: string;
  /** Epoch ms: each partition is read from its first message at or after this time. Default: its start. */
  readonly since?: number;
  /** Stops after this many messages. */
  readonly limit?: number;
  /** Gives up when nothing came for this long while a partition is short of its end. Default 15 s. */
  readonly idleTimeoutMs?: number;
  readonly onMessage: (message: TopicMessage) => void;
}

export interface ReadSummary {
  readonly read: number;
  /** Partitions that did not reach the end they had when the read began (none unless it gave up). */
  readonly unfinished: readonly number[];
}

/** The topic is not on the cluster: a wrong prefix or cluster, or a deployment never started. */
export class TopicMissingError extends Error {
  override readonly name = 'TopicMissingError';
  constructor(readonly topic: string) {
    super(`topic ${topic} does not exist`);
  }
}

/** The consumer groups this reader makes start with it, so a broker's group list says whose they are. */
export const READER_GROUP_PREFIX = 'leadscore-dead-letters-';

/**
 * Reads `topic` from its start (or `since`) up to the end each partition had when the read began,
 * then stops: what an operator looking at a topic wants, rather than a tail that never ends.
 * kafkajs reads only through a consumer group, so the reader joins one of its own, fresh each
 * time. It never commits an offset (autoCommit off, no commit by hand): no service's position
 * moves, every run sees the whole topic again, and the group is deleted at the end.
 */
export async function readToEnd(options: ReadToEndOptions): Promise<ReadSummary> {
  const kafka = new Kafka({
    clientId: 'leadscore-dead-letters',
    brokers: [...options.brokers],
    logLevel: logLevel.NOTHING,
    // An operator at a terminal: fail within seconds when the brokers are wrong, not minutes.
    connectionTimeout: 3_000,
    retry: { retries: 2 },
  });
  const admin = kafka.admin();
  await admin.connect();
  const groupId = `${READER_GROUP_PREFIX}${randomUUID()}`;
  try {
    // Asked first: kafkajs would retry an unknown topic and then report it in general terms.
    if (!(await admin.listTopics()).includes(options.topic)) throw new TopicMissingError(options.topic);
    const offsets = await admin.fetchTopicOffsets(options.topic);
    const ends = new Map(offsets.map(({ partition, high }) => [partition, BigInt(high)]));
    const starts =
      options.since === undefined
        ? offsets.map(({ partition, low }) => ({ partition, offset: low }))
        : await admin.fetchTopicOffsetsByTimestamp(options.topic, options.since);
    const pending = starts.filter(({ partition, offset }) => BigInt(offset) < (ends.get(partition) ?? 0n));
    if (pending.length === 0 || options.limit === 0) return { read: 0, unfinished: [] };
    return await readPartitions(kafka, groupId, options, ends, pending);
  } finally {
    // The group holds no offsets, so the broker may have dropped it already: nothing to report.
    await admin.deleteGroups([groupId]).catch(() => undefined);
    await admin.disconnect();
  }
}

async function readPartitions(
  kafka: Kafka,
  groupId: string,
  options: ReadToEndOptions,
  ends: ReadonlyMap<number, bigint>,
  starts: readonly { partition: number; offset: string }[],
): Promise<ReadSummary> {
  const unfinished = new Set(starts.map(({ partition }) => partition));
  let read = 0;
  let lastProgress = Date.now();
  let finish = () => {};
  const finished = new Promise<void>((resolve) => {
    finish = resolve;
  });
  const idleTimeoutMs = options.idleTimeoutMs ?? 15_000;
  const idleCheck = setInterval(() => {
    if (Date.now() - lastProgress > idleTimeoutMs) finish();
  }, 250);

  const consumer = kafka.consumer({ groupId, allowAutoTopicCreation: false });
  try {
    await consumer.connect();
    await consumer.subscribe({ topic: options.topic, fromBeginning: true });
    await consumer.run({
      autoCommit: false,
      eachMessage: async ({ partition, message }) => {
        lastProgress = Date.now();
        const end = ends.get(partition) ?? 0n;
        if (!unfinished.has(partition) || read === options.limit) return;
        const offset = BigInt(message.offset);
        if (offset < end) {
          options.onMessage({ partition, message });
          read += 1;
        }
        if (offset + 1n >= end) unfinished.delete(partition);
        if (unfinished.size === 0 || read === options.limit) finish();
      },
    });
    for (const { partition, offset } of starts) consumer.seek({ topic: options.topic, partition, offset });
    await finished;
    return { read, unfinished: read === options.limit ? [] : [...unfinished].sort((a, b) => a - b) };
  } finally {
    clearInterval(idleCheck);
    await consumer.disconnect();
  }
}
