import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { OutgoingMessage } from '../bus.js';
import { javaPartitionForKey } from './java-partitioner.js';
import { KeyShardedPublisher, type PublishLane } from './key-sharded-publisher.js';

/** Lanes that record what they were given and settle when the test says so. */
function recordingLanes(count: number) {
  const sent: { lane: number; topic: string; values: string[]; settle: (error?: Error) => void }[] = [];
  const lanes: PublishLane[] = Array.from({ length: count }, (_, lane) => ({
    publish: (topic, messages) =>
      new Promise<void>((resolve, reject) => {
        const values = messages.map((message) => String(message.value));
        sent.push({ lane, topic, values, settle: (error) => (error ? reject(error) : resolve()) });
      }),
    close: async () => {},
  }));
  return { lanes, sent };
}

const message = (key: string, value: string): OutgoingMessage => ({ key, value });

describe('KeyShardedPublisher', () => {
  it('sends every key through one lane, in publish order, whatever the keys and publishes', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 4 }),
        fc.array(fc.array(fc.constantFrom('a', 'b', 'c', 'lead-1', 'em_x', 'crm:42'), { maxLength: 6 }), {
          maxLength: 6,
        }),
        (laneCount, publishes) => {
          const { lanes, sent } = recordingLanes(laneCount);
          const publisher = new KeyShardedPublisher(lanes);
          let n = 0;
          for (const keys of publishes) {
            void publisher.publish(
              't',
              keys.map((key) => message(key, `${key}#${n++}`)),
            );
          }
          const lanesByKey = new Map<string, Set<number>>();
          const seenByKey = new Map<string, string[]>();
          for (const request of sent) {
            for (const value of request.values) {
              const key = value.split('#')[0] as string;
              lanesByKey.set(key, (lanesByKey.get(key) ?? new Set()).add(request.lane));
              seenByKey.set(key, [...(seenByKey.get(key) ?? []), value]);
              expect(request.lane).toBe(javaPartitionForKey(key, laneCount));
            }
          }
          for (const lanesOfKey of lanesByKey.values()) expect(lanesOfKey.size).toBe(1);
          for (const values of seenByKey.values()) {
            expect(values).toEqual(
              [...values].sort((x, y) => Number(x.split('#')[1]) - Number(y.split('#')[1])),
            );
          }
          expect(sent.reduce((sum, request) => sum + request.values.length, 0)).toBe(n);
        },
      ),
    );
  });

  it('resolves once every lane it used acknowledged, and rejects when one of them failed', async () => {
    const keys = ['a', 'b', 'c', 'd', 'e', 'f'];
    const { lanes, sent } = recordingLanes(2);
    const publisher = new KeyShardedPublisher(lanes);
    let resolved = false;
    const done = publisher
      .publish(
        't',
        keys.map((key) => message(key, key)),
      )
      .then(() => {
        resolved = true;
      });
    expect(sent.map((request) => request.lane).sort()).toEqual([0, 1]);
    sent[0]?.settle();
    await new Promise((resolve) => setImmediate(resolve));
    expect(resolved).toBe(false);
    sent[1]?.settle();
    await done;
    expect(resolved).toBe(true);

    const failing = publisher.publish(
      't',
      keys.map((key) => message(key, key)),
    );
    sent[2]?.settle();
    sent[3]?.settle(new Error('broker gone'));
    await expect(failing).rejects.toThrow('broker gone');
  });
});
