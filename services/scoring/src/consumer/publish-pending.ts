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
    messages.push({ key: publication.key, value: JSON.stringify(publication.value) });
    byTopic.set(publication.topic, messages);
  }
  await Promise.all([...byTopic].map(([topic, messages]) => bus.publish(topic, messages)));
  for (const [topic, messages] of byTopic) metrics.messagesPublished.inc({ topic }, messages.length);
  await deletePublications(
    pool,
    pending.map((publication) => publication.id),
  );
}
