import { type Admin, type Kafka, KafkaJSAggregateError } from 'kafkajs';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { ClusterAdmin } from './cluster-admin.js';

/** A ClusterAdmin whose kafkajs admin client answers createTopics with `answer`; its log lines. */
function clusterAdmin(answer: () => Promise<boolean>) {
  const lines: { level: number; msg: string; topic?: string; reasons?: unknown }[] = [];
  const logger = pino({ level: 'debug' }, { write: (line: string) => lines.push(JSON.parse(line)) });
  const admin = { connect: async () => {}, disconnect: async () => {}, createTopics: answer };
  const kafka = { admin: () => admin as unknown as Admin } as unknown as Kafka;
  return { admin: new ClusterAdmin(kafka, ['127.0.0.1:9092'], logger), lines };
}

/** A topic error as kafkajs's CreateTopics response parser makes it (KafkaJSCreateTopicError). */
const topicError = (topic: string, type: string, message: string) =>
  Object.assign(new Error(message), { name: 'KafkaJSCreateTopicError', topic, type });

describe('ensuring topics', () => {
  it('logs nothing when the topics already exist (kafkajs answers false)', async () => {
    const { admin, lines } = clusterAdmin(async () => false);
    await admin.ensureTopics([{ name: 'leadscore.activity.v1', partitions: 12 }]);
    expect(lines).toEqual([]);
  });

  it('logs a topic it could not create at error, naming it and the broker reason, and rejects', async () => {
    const refusal = new KafkaJSAggregateError('Topic creation errors', [
      topicError(
        'leadscore.activity.v1',
        'INVALID_REPLICATION_FACTOR',
        'Replication factor: 3 larger than available brokers: 1.',
      ),
    ]);
    const { admin, lines } = clusterAdmin(() => Promise.reject(refusal));

    await expect(admin.ensureTopics([{ name: 'leadscore.activity.v1', partitions: 12 }])).rejects.toBe(
      refusal,
    );
    expect(lines).toEqual([
      expect.objectContaining({
        level: 50,
        msg: 'could not create the topic',
        topic: 'leadscore.activity.v1',
        reasons: [
          {
            type: 'INVALID_REPLICATION_FACTOR',
            message: 'Replication factor: 3 larger than available brokers: 1.',
          },
        ],
      }),
    ]);
  });

  it('names the failure of the request itself', async () => {
    const { admin, lines } = clusterAdmin(() => Promise.reject(new Error('Connection timeout')));
    await expect(admin.ensureTopics([{ name: 'leadscore.alerts.v1' }])).rejects.toThrow('Connection timeout');
    expect(lines).toEqual([
      expect.objectContaining({
        level: 50,
        topic: 'leadscore.alerts.v1',
        reasons: [{ message: 'Connection timeout' }],
      }),
    ]);
  });
});
