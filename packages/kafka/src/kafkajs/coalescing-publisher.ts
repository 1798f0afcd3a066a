import type { Message, Producer, TopicMessages } from 'kafkajs';
import type { Logger } from 'pino';
import type { OutgoingMessage } from '../bus.js';
import { BusClosedError, PublishFailedError } from '../errors.js';
import { approximateSize, toKafkaMessage } from './message-mapping.js';

interface PendingPublish {
  readonly topic: string;
  readonly messages: readonly Message[];
  readonly bytes: number;
  readonly resolve: () => void;
  readonly reject: (error: Error) => void;
}

export interface CoalescingPublisherSettings {
  /** Builds a new idempotent producer; called again after a failed send. */
  readonly createProducer: () => Producer;
  readonly logger: Logger;
  /** Publishes waiting together are merged into one request up to about this many bytes. */
  readonly maxRequestBytes: number;
}

/**
 * Sends through one idempotent producer, one produce request at a time, merging the publishes that
 * queued up while the previous request was in flight.
 *
 * Why one at a time: kafkajs's idempotent producer assigns sequence numbers per partition and
 * already serialises produce requests per broker (the KIP-98 rule: acks=all, one request in
 * flight); it does not enforce `maxInFlightRequests` itself. Why merge: with one request in
 * flight, throughput comes from request size, so a burst of small publishes (single-event
 * webhook calls) becomes a few large requests instead of a queue of round trips. Order is kept:
 * publishes are merged in arrival order, so two publishes of one key stay in publish order.
 *
 * Why a failure replaces the producer: a request whose outcome is unknown may have been written.
 * kafkajs rewinds its sequence numbers on failure, so the next, different messages would reuse
 * them and the broker would discard those as duplicates of the unknown batch while acknowledging
 * them. A fresh producer gets a new producer id and starts its sequences over.
 *
 * Why a failure also fails the publishes queued behind it: they were published after the failed
 * ones, and sending them on the fresh producer would write a key's later messages while its
 * earlier ones are lost. Callers that retry (the relay, a webhook client) then resend in order.
 */
export class CoalescingPublisher {
  private readonly queue: PendingPublish[] = [];
  private producer: Promise<Producer> | undefined;
  private draining: Promise<void> | undefined;
  private closed = false;

  constructor(private readonly settings: CoalescingPublisherSettings) {}

  publish(topic: string, messages: readonly OutgoingMessage[]): Promise<void> {
    if (this.closed) return Promise.reject(new BusClosedError('publish'));
    if (messages.length === 0) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const bytes = messages.reduce((sum, message) => sum + approximateSize(message), 0);
      this.queue.push({ topic, messages: messages.map(toKafkaMessage), bytes, resolve, reject });
      this.draining ??= this.drain();
    });
  }

  /** Refuses new publishes, lets the queued ones finish, disconnects. */
  async close(): Promise<void> {
    this.closed = true;
    await this.draining;
    await this.discardProducer();
  }

  private async drain(): Promise<void> {
    try {
      while (this.queue.length > 0) {
        const request = this.takeRequest();
        try {
          const producer = await this.connectedProducer();
          await producer.sendBatch({ topicMessages: groupByTopic(request), acks: -1 });
          for (const publish of request) publish.resolve();
        } catch (cause) {
          const failure = new PublishFailedError(
            [...new Set(request.map((publish) => publish.topic))],
            request.reduce((sum, publish) => sum + publish.messages.length, 0),
            { cause },
          );
          this.settings.logger.error({ err: failure }, 'publish failed; replacing the producer');
          for (const publish of request) publish.reject(failure);
          for (const behind of this.queue.splice(0)) behind.reject(failure);
          await this.discardProducer();
        }
      }
    } finally {
      // Reached synchronously after the queue was seen empty, so no publish can slip in between.
      this.draining = undefined;
    }
  }

  /** The oldest queued publishes, as many as fit in one request (always at least one). */
  private takeRequest(): PendingPublish[] {
    const request: PendingPublish[] = [];
    let bytes = 0;
    for (const next of this.queue) {
      if (request.length > 0 && bytes + next.bytes > this.settings.maxRequestBytes) break;
      request.push(next);
      bytes += next.bytes;
    }
    this.queue.splice(0, request.length);
    return request;
  }

  private connectedProducer(): Promise<Producer> {
    if (!this.producer) {
      const producer = this.settings.createProducer();
      const connecting = producer.connect().then(() => producer);
      this.producer = connecting;
      // A failed connect must not be reused by the next request.
      connecting.catch(() => {
        if (this.producer === connecting) this.producer = undefined;
      });
      return connecting;
    }
    return this.producer;
  }

  private async discardProducer(): Promise<void> {
    const current = this.producer;
    this.producer = undefined;
    if (!current) return;
    try {
      await (await current).disconnect();
    } catch {
      // It never connected, or the broker is gone: there is nothing left to release.
    }
  }
}

function groupByTopic(request: readonly PendingPublish[]): TopicMessages[] {
  const byTopic = new Map<string, Message[]>();
  for (const { topic, messages } of request) {
    const list = byTopic.get(topic) ?? [];
    list.push(...messages);
    byTopic.set(topic, list);
  }
  return [...byTopic].map(([topic, messages]) => ({ topic, messages }));
}
