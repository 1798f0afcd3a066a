import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import kafkajs, { Kafka, type KafkaMessage, logLevel } from 'kafkajs';

// Not among the names Node finds in kafkajs's CommonJS exports: taken from the default export.
const { ConfigResourceTypes } = kafkajs;

const timestampType = 'message.timestamp.type';

/** The topic setting that has the broker stamp each message with its append time. */
export const stampedOnAppend = { name: timestampType, value: 'LogAppendTime' } as const;

/**
 * Consumer settings for reading stamped topics: the time travels in the message, so a fetch can
 * wait for 1 MiB or 250 ms instead of being answered at every message.
 */
export const lazyFetch = { minBytes: 1024 * 1024, maxWaitTimeInMs: 250 } as const;

/**
 * Has the broker stamp every message of these topics with the time it appended it
 * (LogAppendTime), so the bench can read when a message reached Kafka from the message itself,
 * whenever its listener fetches it: the listeners can then fetch in large, rare batches instead
 * of the hundreds of small fetches a second that taking the time on receipt needs, on the cores
 * the services need. Waits until the broker reports the setting on every topic.
 */
export async function stampTopicsOnAppend(
  brokers: readonly string[],
  topics: readonly string[],
): Promise<void> {
  const kafka = new Kafka({
    brokers: [...brokers],
    clientId: 'bench-topic-settings',
    logLevel: logLevel.NOTHING,
  });
  const admin = kafka.admin();
  await admin.connect();
  try {
    const resources = topics.map((name) => ({ type: ConfigResourceTypes.TOPIC, name }));
    await admin.alterConfigs({
      validateOnly: false,
      resources: resources.map((resource) => ({
        ...resource,
        configEntries: [stampedOnAppend],
      })),
    });
    const deadline = performance.now() + 10_000;
    for (;;) {
      const { resources: described } = await admin.describeConfigs({
        includeSynonyms: false,
        resources: resources.map((resource) => ({ ...resource, configNames: [timestampType] })),
      });
      const stamped = described.every((resource) =>
        resource.configEntries.some(
          (entry) => entry.configName === stampedOnAppend.name && entry.configValue === stampedOnAppend.value,
        ),
      );
      if (stamped) return;
      if (performance.now() > deadline)
        throw new Error(`the broker did not apply ${timestampType} to ${topics.join(', ')}`);
      await sleep(100);
    }
  } finally {
    await admin.disconnect();
  }
}

// kafkajs keeps the batch's attributes on each message it decodes; 1 is LogAppendTime.
const logAppendTime = 1;
type DecodedMessage = KafkaMessage & { readonly batchContext?: { readonly timestampType?: number } };

/**
 * When the broker appended the message, on this process's performance.now() clock (within half
 * a millisecond); undefined for a message stamped by its producer, which would say when it was sent.
 */
export function appendedAt(message: KafkaMessage): number | undefined {
  if ((message as DecodedMessage).batchContext?.timestampType !== logAppendTime) return undefined;
  // The broker's clock counts whole milliseconds: the middle of the millisecond is the unbiased guess.
  return Number(message.timestamp) + 0.5 - performance.timeOrigin;
}
