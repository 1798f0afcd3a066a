import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { parse } from 'yaml';
import { emailLeadId, type Topics } from '../../packages/contracts/src/index.js';
import type { ConsumedMessage, Subscription } from '../../packages/kafka/src/index.js';
import type { AsyncApiDocument } from '../../services/api/src/asyncapi/asyncapi-document.js';
import { createMessageValidator } from '../../services/api/src/asyncapi/validate-message.js';
import { eventually } from '../eventstore/eventually.js';
import { seedJourney } from './support/journey.js';
import { usePipeline } from './support/pipeline.js';
import { countByLead, DAY, postEvents, untilScored } from './support/seed.js';

const T = Date.UTC(2026, 7, 3, 9);
const EMAIL = 'vp@woodgrove-software.com';

const pipeline = usePipeline({ clock: T + DAY });
let collector: Subscription;
const received = new Map<keyof Topics, ConsumedMessage[]>();
const stageChangeIds = () => [
  ...new Set(received.get('stageChanged')?.map((message) => message.headers.ce_id)),
];

beforeAll(async () => {
  const byName = new Map(Object.entries(pipeline().topics).map(([key, name]) => [name, key as keyof Topics]));
  collector = await pipeline().bus.subscribe({
    groupId: `${pipeline().topicPrefix}asyncapi-collector`,
    topics: Object.values(pipeline().topics),
    fromBeginning: true,
    handleBatch: async (batch) => {
      const key = byName.get(batch.topic)!;
      received.set(key, [...(received.get(key) ?? []), ...batch.messages]);
    },
  });
  const journey = seedJourney(EMAIL, T);
  await postEvents(pipeline(), journey);
  // A message no webhook would publish: the ingest consumer sends it to the DLQ.
  await pipeline().bus.publish(pipeline().topics.activity, [
    { key: 'poison', value: '{"type": "email.opened"' },
  ]);
  await untilScored(pipeline(), countByLead(journey));
  await eventually(async () => {
    for (const topic of Object.keys(pipeline().topics) as (keyof Topics)[]) {
      expect(received.get(topic)?.length ?? 0, topic).toBeGreaterThan(0);
    }
    // At least once: a redelivered change carries the same ce_id, so count distinct ones.
    expect(stageChangeIds()).toHaveLength(3);
  }, 30_000);
});

afterAll(async () => {
  await collector?.stop();
});

it('publishes on every topic messages whose key, headers and payload match the schemas asyncapi.yaml names', async () => {
  const document = parse(
    await readFile(new URL('../../openapi/asyncapi.yaml', import.meta.url), 'utf8'),
  ) as AsyncApiDocument;
  const checkMessage = createMessageValidator(document);
  const isPoison = (message: ConsumedMessage) =>
    message.key === 'poison' && !message.topic.endsWith('dlq.v1');
  for (const [topic, messages] of received) {
    for (const message of messages.filter((m) => !isPoison(m))) {
      const check = checkMessage(message.topic, message);
      expect(check.channel).toBe(topic);
      expect(check.problems, `${topic} ${message.value.toString().slice(0, 200)}`).toEqual([]);
    }
  }
  expect(new Set(received.get('stageChanged')?.map((message) => message.key))).toEqual(
    new Set([emailLeadId(EMAIL)]),
  );
  expect(received.get('activityDlq')?.[0]?.headers['x-dlq-reason']).toBe('invalid-json');
  // The test's own poison message is the one that breaks the activity schemas, and is told so.
  const poison = received.get('activity')?.find(isPoison);
  expect(checkMessage(poison!.topic, poison!).problems).toContain('payload is not JSON');
});
