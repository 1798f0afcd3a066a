import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import type { ActivityEventInput } from '../../packages/contracts/src/index.js';
import { request } from './http-client.js';
import { isStageChanging, type LoadPlanKind, nthEvent, STAGE_CHANGING_STEP } from './load-plan.js';
import type { ScoreVisibility } from './score-visibility.js';

/**
 * Whether the n-th event is probed: one in `every`, spread by a multiplicative hash rather than
 * every `every`-th event, which would be the same step of every journey whenever `every` is a
 * multiple of the plan's five steps (the mixed plan puts step n % 5 at place n).
 */
export function isProbed(n: number, every: number): boolean {
  return every > 0 && (Math.imul(n, 0x9e3779b1) >>> 0) % every === 0;
}

const earlierSteps = (lead: string) =>
  Array.from({ length: STAGE_CHANGING_STEP }, (_, step) => `${lead}-s${step}`);

export interface SteadyLoadOptions {
  readonly webhookUrl: string;
  readonly ingestKey: string;
  readonly eventsPerSecond: number;
  readonly durationSeconds: number;
  readonly eventsPerRequest: number;
  /**
   * About one accepted event in this many is followed until the API shows its score (0 or no
   * scores: none), picked by a hash of its place in the sequence (isProbed).
   */
  readonly probeEvery: number;
  readonly scores?: ScoreVisibility;
  readonly tag: string;
  /** How the leads' journeys mix in the sequence (load-plan.ts); default `mixed`. */
  readonly plan?: LoadPlanKind;
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
  // One wave a second: a lead's events go out a second apart.
  const waveSize = Math.max(options.eventsPerSecond, 100);
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
      const response = await request(`${options.webhookUrl}/v1/events`, {
        method: 'POST',
        headers: { authorization: `Bearer ${options.ingestKey}`, 'content-type': 'application/json' },
        body: JSON.stringify({ events }),
      });
      const now = performance.now();
      if (response.status !== 202) {
        fail(`HTTP ${response.status}`);
        return;
      }
      accepted += events.length;
      events.forEach((event, offset) => {
        acceptedIds.add(event.id!);
        if (isStageChanging(event)) acceptedAt.set(event.id!, now);
        if (options.scores && isProbed(firstIndex + offset, options.probeEvery)) {
          track(options.scores.probe(event.lead.id!, event.id!, now).then((ms) => scoreVisibleMs.push(ms)));
        }
      });
    } catch (error) {
      // node:http errors carry the system's code (ECONNRESET, ECONNREFUSED...).
      fail((error as { code?: string }).code ?? (error as Error).name);
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
        nthEvent(sent + i, waveSize, options.tag, start, options.plan),
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
