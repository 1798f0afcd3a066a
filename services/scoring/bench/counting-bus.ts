import type { Bus } from '@leadscore/kafka';

export interface CountingBus extends Bus {
  /** Messages and value bytes published so far. */
  readonly published: { messages: number; bytes: number };
}

/**
 * A bus for the benchmark that counts what is published. By default it then forgets it: the
 * in-process bus keeps every message for its subscribers, and over a million-event replay that is
 * hundreds of MiB of heap and the garbage collector walking it, which is not the cost of
 * rescoring; publishing still goes through the inner bus's checks (open, topic exists) with an
 * empty batch. With `forward`, the messages go to the inner bus (a Kafka broker) as they are.
 */
export function countingBus(inner: Bus, options: { readonly forward: boolean }): CountingBus {
  const published = { messages: 0, bytes: 0 };
  return {
    published,
    async publish(topic, messages) {
      await inner.publish(topic, options.forward ? messages : []);
      published.messages += messages.length;
      for (const message of messages) published.bytes += Buffer.byteLength(message.value);
    },
    subscribe: (options) => inner.subscribe(options),
    ensureTopics: (topics) => inner.ensureTopics(topics),
    healthCheck: () => inner.healthCheck(),
    close: () => inner.close(),
  };
}
