/**
 * `pnpm dead-letters` (scripts/dead-letters.ts) against a real broker: every dead letter as one
 * JSON line with where it sits, why it was refused and its value; --since and --limit; nothing
 * committed and no consumer group left behind; a missing topic or a typo explained.
 */
import { Kafka, logLevel } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { topics } from '../../packages/contracts/src/index.js';
import type { ConsumedMessage } from '../../packages/kafka/src/index.js';
import { READER_GROUP_PREFIX } from '../../scripts/dead-letters/read-to-end.js';
import { deadLetterMessage, type Rejection } from '../../services/ingest/src/consumer/dead-letter.js';
import { kafkaBrokers, uniqueTopicPrefix } from '../support/infra.js';
import { ScriptProcess } from '../support/service-process.js';

const prefix = uniqueTopicPrefix();
const topic = topics(prefix).activityDlq;
const kafka = () =>
  new Kafka({ clientId: 'dead-letters-test', brokers: kafkaBrokers(), logLevel: logLevel.NOTHING });
const admin = () => kafka().admin();

const JANUARY = Date.UTC(2026, 0, 10, 9);
const JUNE = Date.UTC(2026, 5, 10, 9);

/** A message of the activity topic, as the ingest consumer received it. */
function consumed(offset: number, key: string, value: Buffer | string): ConsumedMessage {
  return {
    topic: topics(prefix).activity,
    partition: 1,
    offset: String(offset),
    key,
    value: Buffer.from(value),
    headers: { 'x-leadscore-api-key-id': 'esp' },
    timestamp: JANUARY,
  };
}

/** What ingest dead-letters, written with chosen timestamps: two in January, two in June. */
const deadLetters: { message: ConsumedMessage; rejection: Rejection; at: number }[] = [
  {
    message: consumed(10, 'email:ann@acme.example', '{"id": "broken", "type": '),
    rejection: { reason: 'invalid-json', detail: 'Unexpected end of JSON input' },
    at: JANUARY,
  },
  {
    message: consumed(11, 'email:bob@acme.example', '{"id":"e-2","type":"email.open"}'),
    rejection: { reason: 'invalid-event', detail: 'type: unknown event type "email.open"' },
    at: JANUARY + 1,
  },
  {
    message: consumed(12, 'email:cy@acme.example', '{"id":"dup-1","type":"email.clicked"}'),
    rejection: { reason: 'id-conflict', detail: 'event id dup-1 already names an event of lead-x' },
    at: JUNE,
  },
  {
    message: consumed(13, 'email:di@acme.example', Buffer.from([0xff, 0xfe, 0x00])),
    rejection: { reason: 'invalid-json', detail: 'not UTF-8' },
    at: JUNE + 1,
  },
];

interface Line {
  partition: number;
  offset: string;
  timestamp: string;
  key: string | null;
  headers: Record<string, string>;
  value?: string;
  valueBase64?: string;
}

async function deadLettersCommand(args: readonly string[] = [], env: Record<string, string> = {}) {
  const run = new ScriptProcess(
    'scripts/dead-letters.ts',
    { KAFKA_BROKERS: kafkaBrokers().join(','), TOPIC_PREFIX: prefix, ...env },
    args,
  );
  const exit = await run.waitForExit(45_000);
  const { stdout, stderr } = run.output;
  const lines = stdout
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as Line)
    .sort((a, b) => a.timestamp.localeCompare(b.timestamp));
  return { code: exit.code, lines, stderr };
}

beforeAll(async () => {
  const client = admin();
  await client.connect();
  // As the ingest service creates it: the broker's default partition count (three here).
  await client.createTopics({ topics: [{ topic }], waitForLeaders: true });
  await client.disconnect();
  const producer = kafka().producer();
  await producer.connect();
  await producer.send({
    topic,
    acks: -1,
    messages: deadLetters.map(({ message, rejection, at }) => {
      const letter = deadLetterMessage(message, rejection);
      return { ...letter, timestamp: String(at) };
    }),
  });
  await producer.disconnect();
});

afterAll(async () => {
  const client = admin();
  await client.connect();
  await client.deleteTopics({ topics: [topic] }).catch(() => undefined);
  await client.disconnect();
});

describe('pnpm dead-letters', () => {
  it('prints every dead letter as one JSON line: where it is, when, its key, why (x-dlq-*) and its value', async () => {
    const { code, lines, stderr } = await deadLettersCommand();
    expect(code, stderr).toBe(0);
    expect(stderr).toContain(`4 dead letter(s) read from ${topic}`);
    expect(lines).toHaveLength(4);
    expect(lines[0]).toEqual({
      partition: expect.any(Number),
      offset: expect.stringMatching(/^\d+$/),
      timestamp: new Date(JANUARY).toISOString(),
      key: 'email:ann@acme.example',
      headers: {
        'x-leadscore-api-key-id': 'esp',
        'x-dlq-reason': 'invalid-json',
        'x-dlq-error': 'Unexpected end of JSON input',
        'x-dlq-source-topic': topics(prefix).activity,
        'x-dlq-source-partition': '1',
        'x-dlq-source-offset': '10',
      },
      value: '{"id": "broken", "type": ',
    });
    expect(lines.map((line) => line.headers['x-dlq-reason'])).toEqual([
      'invalid-json',
      'invalid-event',
      'id-conflict',
      'invalid-json',
    ]);
    expect(lines[2]?.value).toBe('{"id":"dup-1","type":"email.clicked"}');
    // Bytes that are not text are given in base64, untouched.
    expect(lines[3]).toMatchObject({ valueBase64: Buffer.from([0xff, 0xfe, 0x00]).toString('base64') });
    expect(lines[3]).not.toHaveProperty('value');
  });

  it('--since keeps the later ones, --limit stops early, and a second run sees the same: nothing is committed', async () => {
    const since = await deadLettersCommand([`--since=${new Date(Date.UTC(2026, 2, 1)).toISOString()}`]);
    expect(since.code, since.stderr).toBe(0);
    expect(since.lines.map((line) => line.headers['x-dlq-source-offset'])).toEqual(['12', '13']);

    const limited = await deadLettersCommand(['--limit=1']);
    expect(limited.code, limited.stderr).toBe(0);
    expect(limited.lines).toHaveLength(1);

    const again = await deadLettersCommand();
    expect(again.lines).toHaveLength(4);

    const client = admin();
    await client.connect();
    try {
      const { groups } = await client.listGroups();
      expect(groups.filter((group) => group.groupId.startsWith(READER_GROUP_PREFIX))).toEqual([]);
    } finally {
      await client.disconnect();
    }
  });

  it('says so when the topic is not there (a wrong TOPIC_PREFIX), and answers a typo with its usage', async () => {
    const missing = await deadLettersCommand([], { TOPIC_PREFIX: uniqueTopicPrefix() });
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(
      /leadscore\.activity\.dlq\.v1 does not exist on KAFKA_BROKERS=.*TOPIC_PREFIX/,
    );

    const typo = await deadLettersCommand(['--limt=5']);
    expect(typo.code).toBe(2);
    expect(typo.stderr).toContain("Unknown option '--limt'");
    expect(typo.stderr).toContain('Usage: pnpm dead-letters [--since=WHEN] [--limit=N]');
  });
});
