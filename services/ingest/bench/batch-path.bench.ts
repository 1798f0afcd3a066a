/**
 * CPU time per event of the webhook's in-process work for 100-event batches, without HTTP or the
 * network: JSON.parse, parseWebhookBody, publishActivities, then what kafkajs does with a produce
 * request of `BENCH_COALESCE` (default 12) coalesced publishes: partitioning, grouping per
 * partition, and encoding the request. kafkajs's internal modules are loaded by path (this
 * reaches into kafkajs 2.2.4 on purpose: those steps cannot be timed through its API).
 * Run: `npx tsx services/ingest/bench/batch-path.bench.ts`.
 */
import { createRequire } from 'node:module';
import { parseWebhookBody } from '@leadscore/contracts';
import type { Bus, OutgoingMessage } from '@leadscore/kafka';
import { JavaCompatiblePartitioner } from '../../../packages/kafka/src/kafkajs/java-partitioner.js';
import { toKafkaMessage } from '../../../packages/kafka/src/kafkajs/message-mapping.js';
import { publishActivities } from '../src/publish-activities.js';
import { benchEvents } from './bench-events.js';

type Grouping = (args: object) => Record<string, unknown[]>;
type ProduceRequest = (args: object) => { encode(): Promise<{ buffer: Buffer }> };

const kafkajs = createRequire(import.meta.url)
  .resolve('kafkajs')
  .replace(/index\.js$/, 'src/');
const load = createRequire(import.meta.url);
const groupMessagesPerPartition = load(`${kafkajs}producer/groupMessagesPerPartition.js`) as Grouping;
const produceRequest = load(`${kafkajs}protocol/requests/produce/v3/request.js`) as ProduceRequest;

const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 3_000);
const COALESCE = Number(process.env.BENCH_COALESCE ?? 12);
const events = benchEvents(20_000, 2_000, 'batch');
const bodies = Array.from({ length: 200 }, (_, b) =>
  Buffer.from(JSON.stringify({ events: events.slice(b * 100, b * 100 + 100) })),
);
const partitionMetadata = Array.from({ length: 6 }, (_, partitionId) => ({ partitionId, leader: 1 }));
const partitioner = JavaCompatiblePartitioner();

let queued: (readonly OutgoingMessage[])[] = [];
async function sendQueued(): Promise<void> {
  const messages = queued.flat().map(toKafkaMessage);
  queued = [];
  const perPartition = groupMessagesPerPartition({ topic: 't', partitionMetadata, messages, partitioner });
  const partitions = Object.entries(perPartition).map(([partition, list]) => ({
    partition: Number(partition),
    messages: list,
    firstSequence: 0,
  }));
  await produceRequest({ acks: -1, timeout: 30_000, topicData: [{ topic: 't', partitions }] }).encode();
}
const bus = {
  publish: async (_topic: string, messages: readonly OutgoingMessage[]) => {
    queued.push(messages);
    if (queued.length >= COALESCE) await sendQueued();
  },
} as unknown as Bus;

const receivedAt = new Date();
async function request(i: number): Promise<void> {
  const result = parseWebhookBody(JSON.parse((bodies[i % bodies.length] as Buffer).toString('utf8')));
  if (!result.ok) throw new Error('the bench bodies must be valid');
  await publishActivities(bus, 't', result.events, { receivedAt, apiKeyId: 'bench' });
}

for (let i = 0; i < REQUESTS / 5; i += 1) await request(i); // warm-up: JIT
const before = process.cpuUsage();
for (let i = 0; i < REQUESTS; i += 1) await request(i);
const used = process.cpuUsage(before);
const micros = (used.user + used.system) / (REQUESTS * 100);
process.stdout.write(`${micros.toFixed(2)} us of CPU per event (${COALESCE} publishes per request)\n`);
