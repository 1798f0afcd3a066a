import type { Bus, OutgoingMessage } from '@leadscore/kafka';
import type pg from 'pg';
import type { ScoringMetrics } from '../metrics.js';
import { deletePublications, type PendingPublication } from '../store/scoring-outbox.js';

/**
 * Publishes outbox messages (per topic in outbox order, so per lead in order) and deletes them
 * once the bus acknowledged all. A failure leaves them in the outbox; the caller throws, the bus
 * redelivers the batch, and the retry publishes them before anything newer of those leads.
 */
export async function publishPending(
  bus: Bus,
  pool: pg.Pool,
  pending: readonly PendingPublication[],
  metrics: ScoringMetrics,
): Promise<void> {
  if (pending.length === 0) return;
  const byTopic = new Map<string, OutgoingMessage[]>();
  for (const publication of pending) {
    const messages = byTopic.get(publication.topic) ?? [];
    messages.push({ key: publication.key, value: publication.value });
    byTopic.set(publication.topic, messages);
  }
  await Promise.all([...byTopic].map(([topic, messages]) => publishInChunks(bus, topic, messages)));
  for (const [topic, messages] of byTopic) metrics.messagesPublished.inc({ topic }, messages.length);
  await deletePublications(pool, pending);
}

/**
 * Messages per publish. A backlog makes the outbox of one batch large (thousands of messages
 * after a retry); sent as one request, a partition's record batch outgrows the broker's
 * message.max.bytes (1 MB by default), the publish fails on every redelivery while the outbox
 * keeps growing, and scoring stalls for good. Chunks of this many (~1 KB each) stay far below it.
 */
const MESSAGES_PER_PUBLISH = 500;

/** One chunk after the other, so the per-lead order of the outbox holds on the topic. */
async function publishInChunks(bus: Bus, topic: string, messages: readonly OutgoingMessage[]): Promise<void> {
  for (let start = 0; start < messages.length; start += MESSAGES_PER_PUBLISH) {
    await bus.publish(topic, messages.slice(start, start + MESSAGES_PER_PUBLISH));
  }
}
