/**
 * CPU time per call of the per-event steps of ingest, in isolation: what `--cpu-prof` of the
 * service and of the consumer shows as their own code. CPU time (process.cpuUsage), not wall
 * time, so a machine shared with other work still gives comparable figures.
 * Run: `npx tsx services/ingest/bench/hot-path.bench.ts`.
 */
import {
  activityEventSchema,
  activityMessageJson,
  deterministicEventId,
  eventIdOf,
  leadKeyOf,
  parseWebhookBody,
} from '@leadscore/contracts';
import type { Bus, ConsumedMessage } from '@leadscore/kafka';
import { decodeActivityMessage } from '../src/consumer/decode-activity-message.js';
import { publishActivities } from '../src/publish-activities.js';
import { activityMessagesOf, benchEvents } from './bench-events.js';

const CALLS = Number(process.env.BENCH_CALLS ?? 100_000);

/** Microseconds of CPU per call of `work`, after a warm-up that lets the JIT settle. */
function cpuMicrosPerCall(calls: number, work: (i: number) => void): number {
  for (let i = 0; i < Math.min(calls, 10_000); i += 1) work(i);
  const before = process.cpuUsage();
  for (let i = 0; i < calls; i += 1) work(i);
  const used = process.cpuUsage(before);
  return (used.user + used.system) / calls;
}

const inputs = benchEvents(20_000, 2_000, 'hot');
const bodies = inputs.map((event) => JSON.stringify(event));
const batchBody = JSON.stringify({ events: inputs.slice(0, 100) });
const events = inputs.map((input) => activityEventSchema.parse(input));
const receivedAt = new Date();
const receivedAtIso = receivedAt.toISOString();
const consumed: ConsumedMessage[] = activityMessagesOf(inputs, receivedAt).map((message, i) => ({
  topic: 'leadscore.activity.v1',
  partition: 0,
  offset: String(i),
  key: message.key,
  value: Buffer.from(message.value),
  headers: {},
  timestamp: 0,
}));
const nullBus: Bus = { publish: async () => {} } as unknown as Bus;
const pick = <T>(list: readonly T[], i: number): T => list[i % list.length] as T;

const figures = {
  'webhook: JSON.parse + parseWebhookBody, single event': cpuMicrosPerCall(CALLS, (i) =>
    parseWebhookBody(JSON.parse(pick(bodies, i))),
  ),
  'webhook: JSON.parse + parseWebhookBody, per event of a 100-event batch':
    cpuMicrosPerCall(CALLS / 100, () => parseWebhookBody(JSON.parse(batchBody))) / 100,
  'contracts: deterministicEventId': cpuMicrosPerCall(CALLS, (i) => deterministicEventId(pick(events, i))),
  'contracts: leadKeyOf': cpuMicrosPerCall(CALLS, (i) => leadKeyOf(pick(events, i).lead)),
  'contracts: activityMessageJson (id resolved)': cpuMicrosPerCall(CALLS, (i) => {
    const event = pick(events, i);
    activityMessageJson(event, eventIdOf(event), receivedAtIso);
  }),
  'webhook: publishActivities to a no-op bus, per event of a 100-event batch':
    cpuMicrosPerCall(CALLS / 100, (i) => {
      const start = (i * 100) % (events.length - 100);
      void publishActivities(nullBus, 't', events.slice(start, start + 100), { receivedAt, apiKeyId: 'k' });
    }) / 100,
  'consumer: decodeActivityMessage': cpuMicrosPerCall(CALLS, (i) => decodeActivityMessage(pick(consumed, i))),
};

for (const [step, micros] of Object.entries(figures)) {
  process.stdout.write(`${micros.toFixed(2).padStart(8)} us  ${step}\n`);
}
