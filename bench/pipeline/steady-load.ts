import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import type { ActivityEventInput } from '../../packages/contracts/src/index.js';
import { isStageChanging, nthEvent, STAGE_CHANGING_STEP } from './load-plan.js';

const earlierSteps = (lead: string) =>
  Array.from({ length: STAGE_CHANGING_STEP }, (_, step) => `${lead}-s${step}`);

export interface SteadyLoadOptions {
  readonly webhookUrl: string;
  readonly apiUrl: string;
  readonly ingestKey: string;
  readonly readKey: string;
  readonly eventsPerSecond: number;
  readonly durationSeconds: number;
  readonly eventsPerRequest: number;
  /** Every n-th accepted event is followed in the API until its score shows (0: none). */
  readonly probeEvery: number;
  readonly tag: string;
}

export interface SteadyLoadResult {
  readonly sent: number;
  readonly accepted: number;
  readonly failedRequests: number;
  /** Failed requests by HTTP status or error code. */
  readonly failures: Readonly<Record<string, number>>;
  readonly achievedEventsPerSecond: number;
  /**
   * performance.now() when each stage-changing event was accepted (202), by event id, for leads
   * whose earlier events were all accepted too (a lead missing one may stay below MQL).
   */
  readonly acceptedAt: Map<string, number>;
  /** Accept -> score visible in GET /v1/leads/{id}, in ms, for the probed events. */
  readonly scoreVisibleMs: number[];
}

/**
 * Open-loop load: requests leave on schedule (eventsPerSecond, in requests of eventsPerRequest)
 * whether or not earlier ones were answered, as independent marketing tools would send them, so
 * a slow pipeline shows as latency instead of silently lowering the rate.
 */
export async function runSteadyLoad(options: SteadyLoadOptions): Promise<SteadyLoadResult> {
  const leadsPerWave = Math.max(options.eventsPerSecond, 100);
  const start = Date.now() - 3_600_000;
  const totalEvents = Math.round(options.eventsPerSecond * options.durationSeconds);
  const acceptedAt = new Map<string, number>();
  const acceptedIds = new Set<string>();
  const scoreVisibleMs: number[] = [];
  const inFlight = new Set<Promise<void>>();
  let sent = 0;
  let accepted = 0;
  let failedRequests = 0;
  const failures: Record<string, number> = {};
  const fail = (reason: string) => {
    failedRequests += 1;
    failures[reason] = (failures[reason] ?? 0) + 1;
  };

  const send = async (events: ActivityEventInput[], firstIndex: number) => {
    try {
      const response = await fetch(`${options.webhookUrl}/v1/events`, {
        method: 'POST',
        headers: { authorization: `Bearer ${options.ingestKey}`, 'content-type': 'application/json' },
        body: JSON.stringify({ events }),
      });
      await response.arrayBuffer();
      const now = performance.now();
      if (response.status !== 202) {
        fail(`HTTP ${response.status}`);
        return;
      }
      accepted += events.length;
      events.forEach((event, offset) => {
        acceptedIds.add(event.id!);
        if (isStageChanging(event)) acceptedAt.set(event.id!, now);
        if (options.probeEvery > 0 && (firstIndex + offset) % options.probeEvery === 0) {
          track(probeScore(options, event, now).then((ms) => scoreVisibleMs.push(ms)));
        }
      });
    } catch (error) {
      const cause = (error as { cause?: { code?: string } }).cause;
      fail(cause?.code ?? (error as Error).name);
    }
  };
  const track = (work: Promise<unknown>) => {
    const settled = work.then(
      () => undefined,
      () => undefined,
    );
    inFlight.add(settled);
    void settled.then(() => inFlight.delete(settled));
  };

  const began = performance.now();
  while (sent < totalEvents) {
    const due = Math.min(
      totalEvents,
      Math.floor(((performance.now() - began) / 1000) * options.eventsPerSecond),
    );
    while (sent + options.eventsPerRequest <= due || (due === totalEvents && sent < due)) {
      const count = Math.min(options.eventsPerRequest, totalEvents - sent);
      const events = Array.from({ length: count }, (_, i) =>
        nthEvent(sent + i, leadsPerWave, options.tag, start),
      );
      track(send(events, sent));
      sent += count;
    }
    await sleep(2);
  }
  const elapsedSeconds = (performance.now() - began) / 1000;
  while (inFlight.size > 0) await Promise.all([...inFlight]);
  for (const id of acceptedAt.keys()) {
    const lead = id.slice(0, id.lastIndexOf('-s'));
    if (!earlierSteps(lead).every((earlier) => acceptedIds.has(earlier))) acceptedAt.delete(id);
  }
  return {
    sent,
    accepted,
    failedRequests,
    failures,
    achievedEventsPerSecond: sent / elapsedSeconds,
    acceptedAt,
    scoreVisibleMs,
  };
}

/**
 * Polls the lead until the API shows a score that includes the event: the lead's latest scored
 * event is this one or a later step of the same lead. Resolves with ms since the accept (to
 * within the polling interval).
 */
async function probeScore(
  options: SteadyLoadOptions,
  event: ActivityEventInput,
  acceptedAt: number,
): Promise<number> {
  const step = (id: string) => Number(id.slice(id.lastIndexOf('-s') + 2));
  const deadline = acceptedAt + 60_000;
  while (performance.now() < deadline) {
    const response = await fetch(`${options.apiUrl}/v1/leads/${event.lead.id}`, {
      headers: { authorization: `Bearer ${options.readKey}` },
    });
    const body = (await response.json()) as { scored?: { eventId: string } };
    const now = performance.now();
    if (response.status === 200 && body.scored && step(body.scored.eventId) >= step(event.id!)) {
      return now - acceptedAt;
    }
    // 5 ms early on; later a twentieth of the time so far, so a slow pipeline is measured to 5%
    // without the probes themselves flooding the API.
    await sleep(Math.max(5, (now - acceptedAt) / 20));
  }
  throw new Error(`score of ${event.id} not visible within 60 s`);
}
