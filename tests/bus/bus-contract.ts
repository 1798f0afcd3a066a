import { afterEach, describe, expect, it } from 'vitest';
import type { Bus, ConsumedMessage, OutgoingMessage } from '../../packages/kafka/src/index.js';
import { BusClosedError } from '../../packages/kafka/src/index.js';
import type { Logger } from '../../packages/platform/src/logger.js';
import { capturingLogger, eventually, type Recorder, record, text, uniqueName } from './bus-test-kit.js';

/**
 * Builds a bus for one test. Redelivery backoff must start at 100 ms (capped at 1 s): the
 * suite checks that a failed batch is not redelivered sooner than half of that.
 */
export type MakeBus = (logger: Logger) => Bus;

/**
 * The delivery contract of bus.ts, written once and run against every implementation, so the
 * quickstart's in-process bus cannot drift from the Kafka adapter production runs on.
 */
export function describeBusContract(name: string, makeBus: MakeBus, topicPrefix: () => string): void {
  describe(`Bus contract: ${name}`, () => {
    const open: Bus[] = [];
    afterEach(async () => {
      await Promise.all(open.splice(0).map((bus) => bus.close()));
    });

    async function setUp(partitions: number) {
      const { logger, lines } = capturingLogger();
      const bus = makeBus(logger);
      open.push(bus);
      const topic = uniqueName(`${topicPrefix()}bus.`);
      await bus.ensureTopics([{ name: topic, partitions }]);
      return { bus, topic, lines, group: () => uniqueName('group.') };
    }

    it('delivers 1,000 keyed messages, every one, in publish order per key', async () => {
      const { bus, topic, group } = await setUp(4);
      const keys = Array.from({ length: 50 }, (_, k) => `lead-${k}`);
      const sent = Array.from({ length: 1_000 }, (_, i) => ({ key: keys[i % keys.length] ?? '', seq: i }));
      for (let chunk = 0; chunk < 10; chunk += 1) {
        await bus.publish(topic, sent.slice(chunk * 100, chunk * 100 + 100).map(asMessage));
      }

      const consumer = await record(bus, { groupId: group(), topics: [topic] });
      await eventually('1,000 messages handled', () => consumer.handled().length >= 1_000);

      const received = consumer.handled();
      expect(received).toHaveLength(1_000);
      for (const key of keys) {
        const ofKey = received.filter((message) => message.key === key);
        expect(ofKey.map((message) => seqOf(message))).toEqual(
          sent.filter((message) => message.key === key).map((message) => message.seq),
        );
        expect(new Set(ofKey.map((message) => message.partition)).size).toBe(1);
      }
      for (const partition of new Set(received.map((message) => message.partition))) {
        const offsets = received.filter((m) => m.partition === partition).map((m) => BigInt(m.offset));
        expect(offsets.every((offset, i) => i === 0 || offset > (offsets[i - 1] ?? -1n))).toBe(true);
      }
    });

    it('acknowledges and delivers each of many concurrent publishes', async () => {
      const { bus, topic, group } = await setUp(4);
      const sent = Array.from({ length: 300 }, (_, i) => ({ key: `lead-${i % 7}`, seq: i }));
      await Promise.all(sent.map((message) => bus.publish(topic, [asMessage(message)])));

      const consumer = await record(bus, { groupId: group(), topics: [topic] });
      await eventually('300 messages handled', () => consumer.handled().length >= 300);
      expect(
        consumer
          .handled()
          .map(seqOf)
          .sort((a, b) => a - b),
      ).toEqual(sent.map((message) => message.seq));
    });

    it('delivers a batch whose handler threw again, from its first message, after a backoff', async () => {
      const { bus, topic, group, lines } = await setUp(1);
      await bus.publish(
        topic,
        range(0, 20).map((seq) => asMessage({ key: 'lead', seq })),
      );

      const consumer = await record(bus, { groupId: group(), topics: [topic] }, async (_, call) => {
        if (call === 0) throw new Error('database unavailable');
      });
      await eventually('all 20 handled', () => consumer.handled().length >= 20);

      const [failed, retried] = consumer.batches;
      expect(failed?.failed).toBe(true);
      expect(retried?.failed).toBe(false);
      expect(retried?.batch.messages[0]?.offset).toBe(failed?.batch.messages[0]?.offset);
      expect(retried?.batch.messages.slice(0, failed?.batch.messages.length).map(text)).toEqual(
        failed?.batch.messages.map(text),
      );
      expect((retried?.at ?? 0) - (failed?.at ?? 0)).toBeGreaterThanOrEqual(45);
      expect(consumer.handled().map(seqOf)).toEqual(range(0, 20));
      expect(
        lines.some((line) => line.level === 'warn' && /database unavailable/.test(JSON.stringify(line))),
      ).toBe(true);
    });

    it('resumes a group after its last committed batch when a subscriber restarts: nothing lost, nothing repeated', async () => {
      const { bus, topic, group } = await setUp(2);
      const groupId = group();
      const keys = ['a', 'b', 'c', 'd', 'e', 'f'];
      const firstHalf = range(0, 60).map((seq) => ({ key: keys[seq % keys.length] ?? '', seq }));
      await bus.publish(topic, firstHalf.map(asMessage));
      const first = await record(bus, { groupId, topics: [topic] });
      await eventually('first half handled', () => first.handled().length >= 60);
      await first.subscription.stop();

      const secondHalf = range(60, 120).map((seq) => ({ key: keys[seq % keys.length] ?? '', seq }));
      await bus.publish(topic, secondHalf.map(asMessage));
      const second = await record(bus, { groupId, topics: [topic] });
      await eventually('second half handled', () => second.handled().length >= 60);

      expect(
        first
          .handled()
          .map(seqOf)
          .sort((a, b) => a - b),
      ).toEqual(range(0, 60));
      expect(
        second
          .handled()
          .map(seqOf)
          .sort((a, b) => a - b),
      ).toEqual(range(60, 120));
    });

    it('redelivers to the next subscriber a batch that was failing when its subscriber stopped', async () => {
      const { bus, topic, group } = await setUp(1);
      const groupId = group();
      await bus.publish(
        topic,
        range(0, 5).map((seq) => asMessage({ key: 'lead', seq })),
      );
      const failing = await record(bus, { groupId, topics: [topic] }, async () => {
        throw new Error('still failing');
      });
      await eventually('a failed attempt', () => failing.batches.length >= 1);
      await failing.subscription.stop();

      const next = await record(bus, { groupId, topics: [topic] });
      await eventually('the batch handled', () => next.handled().length >= 5);
      expect(next.handled().map(seqOf)).toEqual(range(0, 5));
    });

    it('stop() waits for the batch in hand, which stays committed', async () => {
      const { bus, topic, group } = await setUp(1);
      const groupId = group();
      await bus.publish(
        topic,
        range(0, 3).map((seq) => asMessage({ key: 'lead', seq })),
      );
      let release: () => void = () => {};
      const inHand = new Promise<void>((resolve) => {
        release = resolve;
      });
      const slow = await record(bus, { groupId, topics: [topic] }, () => inHand);
      await eventually('a batch in hand', () => slow.batches.length >= 1);

      let stopped = false;
      const stopping = slow.subscription.stop().then(() => {
        stopped = true;
      });
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(stopped).toBe(false);
      release();
      await stopping;
      expect(slow.handled().map(seqOf)).toEqual(range(0, 3));

      await bus.publish(topic, [asMessage({ key: 'lead', seq: 3 })]);
      const next = await record(bus, { groupId, topics: [topic] });
      await eventually('the new message handled', () => next.handled().length >= 1);
      expect(next.handled().map(seqOf)).toEqual([3]);
    });

    it('gives every group every message', async () => {
      const { bus, topic, group } = await setUp(3);
      const sent = range(0, 100).map((seq) => ({ key: `lead-${seq % 9}`, seq }));
      await bus.publish(topic, sent.map(asMessage));
      const [one, two] = await Promise.all([
        record(bus, { groupId: group(), topics: [topic] }),
        record(bus, { groupId: group(), topics: [topic] }),
      ]);
      await eventually(
        'both groups handled 100',
        () => one!.handled().length >= 100 && two!.handled().length >= 100,
      );
      for (const consumer of [one!, two!]) {
        expect(
          consumer
            .handled()
            .map(seqOf)
            .sort((a, b) => a - b),
        ).toEqual(range(0, 100));
      }
    });

    it('shares the partitions of a topic between the subscribers of one group', async () => {
      const { bus, topic, group } = await setUp(4);
      const groupId = group();
      const first = await record(bus, { groupId, topics: [topic] });
      const second = await record(bus, { groupId, topics: [topic] });
      const sent = range(0, 200).map((seq) => ({ key: `lead-${seq % 40}`, seq }));
      await bus.publish(topic, sent.map(asMessage));
      const all = () => [...first.handled(), ...second.handled()];
      await eventually('200 handled between them', () => all().length >= 200);

      expect(
        all()
          .map(seqOf)
          .sort((a, b) => a - b),
      ).toEqual(range(0, 200));
      expect(first.handled().length).toBeGreaterThan(0);
      expect(second.handled().length).toBeGreaterThan(0);
      const partitionsOf = (consumer: Recorder) => new Set(consumer.handled().map((m) => m.partition));
      const overlap = [...partitionsOf(first)].filter((partition) => partitionsOf(second).has(partition));
      expect(overlap).toEqual([]);
    });

    it('carries headers and raw bytes unchanged', async () => {
      const { bus, topic, group } = await setUp(1);
      const value = Buffer.from(range(0, 256).concat(range(0, 256).reverse()));
      const headers = { 'ce-id': 'évènement-1 ✓', 'x-empty': '', 'content-type': 'application/octet-stream' };
      await bus.publish(topic, [{ key: 'léad-ü', value, headers }]);
      const consumer = await record(bus, { groupId: group(), topics: [topic] });
      await eventually('the message handled', () => consumer.handled().length >= 1);

      const [message] = consumer.handled();
      expect(message?.key).toBe('léad-ü');
      expect(message?.value.equals(value)).toBe(true);
      expect(message?.headers).toEqual(headers);
      expect(message?.topic).toBe(topic);
      expect(message?.timestamp).toBeGreaterThan(Date.now() - 60_000);
    });

    it('does not deliver what was published before a group subscribed from the end', async () => {
      const { bus, topic, group } = await setUp(1);
      await bus.publish(topic, [asMessage({ key: 'lead', seq: 0 })]);
      const consumer = await record(bus, { groupId: group(), topics: [topic], fromBeginning: false });
      // Where "the end" is read is racy in Kafka too, so keep publishing until something arrives.
      let seq = 1;
      while (consumer.handled().length === 0) {
        await bus.publish(topic, [asMessage({ key: 'lead', seq })]);
        seq += 1;
        await new Promise((resolve) => setTimeout(resolve, 100));
        if (seq > 100) throw new Error('nothing delivered after 10 s');
      }
      expect(consumer.handled().map(seqOf)).not.toContain(0);
    });

    it('passes its health check, and refuses work once closed', async () => {
      const { bus, topic } = await setUp(1);
      await expect(bus.healthCheck()).resolves.toBeUndefined();
      await bus.close();
      await expect(bus.publish(topic, [asMessage({ key: 'lead', seq: 0 })])).rejects.toBeInstanceOf(
        BusClosedError,
      );
      await expect(bus.healthCheck()).rejects.toBeInstanceOf(BusClosedError);
    });

    it('refuses a subscription to a topic that was never created', async () => {
      const { bus, group } = await setUp(1);
      const missing = uniqueName(`${topicPrefix()}missing.`);
      await expect(
        bus.subscribe({ groupId: group(), topics: [missing], handleBatch: async () => {} }),
      ).rejects.toMatchObject({ code: 'BUS_UNKNOWN_TOPIC', topic: missing });
    });

    it('creates topics idempotently', async () => {
      const { bus, topic } = await setUp(2);
      await expect(bus.ensureTopics([{ name: topic, partitions: 2 }])).resolves.toBeUndefined();
    });
  });
}

function asMessage({ key, seq }: { key: string; seq: number }): OutgoingMessage {
  return { key, value: JSON.stringify({ key, seq }) };
}

function seqOf(message: ConsumedMessage): number {
  return (JSON.parse(text(message)) as { seq: number }).seq;
}

function range(from: number, to: number): number[] {
  return Array.from({ length: to - from }, (_, i) => from + i);
}
