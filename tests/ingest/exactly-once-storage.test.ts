import { expect, it } from 'vitest';
import type { ActivityEventInput } from '../../packages/contracts/src/index.js';
import {
  eventually,
  expectedStreams,
  idsByStream,
  makeActivityEvents,
  storedEvents,
} from './support/activity-events.js';
import { INGEST_KEY } from './support/ingest-harness.js';
import { useIngest } from './support/use-ingest.js';
import { postEvents } from './support/webhook-client.js';

const { ingest } = useIngest();

/** A small seeded generator, so a failure can be replayed exactly. */
function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state * 1_664_525 + 1_013_904_223) >>> 0;
    return state / 2 ** 32;
  };
}

async function consumedCount(): Promise<number> {
  let total = 0;
  for (const name of [
    'leadscore_ingest_events_appended_total',
    'leadscore_ingest_events_already_stored_total',
  ]) {
    const metric = await ingest().metrics.getSingleMetric(name)?.get();
    total += metric?.values.reduce((sum, sample) => sum + sample.value, 0) ?? 0;
  }
  return total;
}

it('10,000 events with 10% exact resends and 5% resent in new batches are stored once each, in per-lead order', {
  timeout: 180_000,
}, async () => {
  const events = makeActivityEvents(10_000, 250, 'once');
  const random = seededRandom(20_260_301);
  const posted: { event: ActivityEventInput; id: string }[] = [];
  let requests = 0;

  async function post(batch: readonly ActivityEventInput[], body = JSON.stringify({ events: batch })) {
    const response = await postEvents(ingest().url, body, {
      apiKey: INGEST_KEY,
      contentType: 'application/json',
    });
    expect(response.status).toBe(202);
    requests += 1;
    const ids = response.body.ids as string[];
    for (const [i, event] of batch.entries()) posted.push({ event, id: ids[i]! });
    return { body, ids };
  }

  const sentBatches: { batch: ActivityEventInput[]; body: string; ids: string[] }[] = [];
  for (let b = 0; b < 100; b += 1) {
    const batch = events.slice(b * 100, b * 100 + 100);
    sentBatches.push({ batch, ...(await post(batch)) });
    // 10 exact resends of a whole earlier request (1,000 events): the same bytes, the same ids.
    if (b % 10 === 9) {
      const earlier = sentBatches[b - 4]!;
      const again = await post(earlier.batch, earlier.body);
      expect(again.ids).toEqual(earlier.ids);
    }
    // 5 new requests of 100 events each picked from everything sent so far (500 events).
    if (b % 20 === 19) {
      const picked = Array.from({ length: 100 }, () => events[Math.floor(random() * (b + 1) * 100)]!);
      await post(picked);
    }
  }
  expect(requests).toBe(115);
  expect(posted).toHaveLength(11_500);

  await eventually(
    async () => (await consumedCount()) >= posted.length,
    async () => `consumer handled ${await consumedCount()} of ${posted.length} posted events`,
    120_000,
  );

  const rows = await storedEvents(ingest().pool);
  const distinctIds = new Set(posted.map(({ id }) => id));
  expect(distinctIds.size).toBe(10_000);
  expect(rows).toHaveLength(10_000);
  expect(new Set(rows.map((row) => row.eventId))).toEqual(distinctIds);
  expect(idsByStream(rows)).toEqual(expectedStreams(posted));
});
