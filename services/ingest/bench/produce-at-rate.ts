/**
 * Child process of `pnpm bench:ingest` with BENCH_RATE: publishes BENCH_EVENTS activity messages
 * at BENCH_RATE events/s in sends of BENCH_PER_REQUEST (what one webhook request publishes), as
 * the webhook does (same producer settings, same keys and bytes). It runs apart from the measured
 * consumer so its CPU is not counted. Each message carries the time it was sent as receivedAt, so
 * the consumer side can tell how long an event took to be stored.
 */
import { topics as topicNames } from '@leadscore/contracts';
import { createKafkaBus } from '@leadscore/kafka';
import { createLogger } from '@leadscore/platform';
import { INGEST_PRODUCER_SETTINGS } from '../src/ingest-module.js';
import { activityMessagesOf, benchEvents } from './bench-events.js';

const brokers = (process.env.KAFKA_BROKERS ?? '').split(',');
const topic = topicNames(process.env.TOPIC_PREFIX ?? '').activity;
const rate = Number(process.env.BENCH_RATE);
const total = Number(process.env.BENCH_EVENTS);
const perRequest = Number(process.env.BENCH_PER_REQUEST ?? 20);
// Webhook requests in flight at most; a slower broker then slows the load instead of piling it up.
const maxInFlight = 64;

const logger = createLogger({ service: 'ingest-bench-producer', level: 'warn' });
const bus = createKafkaBus({
  brokers,
  clientId: 'ingest-bench-producer',
  logger,
  producer: INGEST_PRODUCER_SETTINGS,
});
const events = benchEvents(total, 5_000, 'live');
const started = performance.now();
let sent = 0;
let inFlight = 0;
const pending = new Set<Promise<void>>();
while (sent < total) {
  const due = Math.min(total, Math.floor((rate * (performance.now() - started)) / 1000));
  while (sent + perRequest <= due || (due === total && sent < total)) {
    if (inFlight >= maxInFlight) break;
    const slice = events.slice(sent, sent + perRequest);
    sent += slice.length;
    inFlight += 1;
    const publish = bus.publish(topic, activityMessagesOf(slice, new Date())).finally(() => {
      inFlight -= 1;
      pending.delete(publish);
    });
    pending.add(publish);
  }
  await new Promise((resolve) => setTimeout(resolve, 2));
}
await Promise.all(pending);
await bus.close();
