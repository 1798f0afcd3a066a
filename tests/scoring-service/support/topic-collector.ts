import type { Bus, ConsumedMessage } from '../../../packages/kafka/src/index.js';

export interface CollectedTopic {
  readonly messages: ConsumedMessage[];
  /** Values parsed as JSON, in consumption order. */
  values(): unknown[];
}

/** Collects every message of a topic from the beginning, with a consumer group of its own. */
export async function collectTopic(bus: Bus, topic: string): Promise<CollectedTopic> {
  const messages: ConsumedMessage[] = [];
  await bus.subscribe({
    groupId: `${topic}.collector.${Date.now()}`,
    topics: [topic],
    fromBeginning: true,
    handleBatch: async (batch) => {
      messages.push(...batch.messages);
    },
  });
  return { messages, values: () => messages.map((m) => JSON.parse(m.value.toString('utf8')) as unknown) };
}

/** Polls until `condition` holds; fails with `describe()` after the timeout. */
export async function eventually(
  condition: () => Promise<boolean> | boolean,
  describe: () => Promise<string> | string,
  timeoutMs = 60_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out: ${await describe()}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
