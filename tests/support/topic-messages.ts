import { Kafka, logLevel } from 'kafkajs';

/** How many messages the topic holds, over all its partitions. */
export async function messagesOnTopic(brokers: readonly string[], topic: string): Promise<number> {
  const admin = new Kafka({ brokers: [...brokers], logLevel: logLevel.NOTHING }).admin();
  await admin.connect();
  try {
    const offsets = await admin.fetchTopicOffsets(topic);
    return offsets.reduce((sum, partition) => sum + Number(partition.high) - Number(partition.low), 0);
  } finally {
    await admin.disconnect();
  }
}
