import { loadavg } from 'node:os';
import { type EventLoopUtilization, performance } from 'node:perf_hooks';
import type pg from 'pg';
import { BackendCpuTracker } from './postgres-backend-cpu.js';
import { processCpuSeconds } from './process-cpu.js';
import { startStageAllocationProfile, startStageProfile } from './stage-profile.js';

export interface StageCost {
  readonly events: number;
  readonly wallSeconds: number;
  readonly eventsPerSecond: number;
  /** CPU of the process running the stage per event, user + system. */
  readonly processCpuUsPerEvent: number;
  /** CPU of the stage's PostgreSQL backends per event: the same cores pay for it. */
  readonly backendCpuUsPerEvent: number;
  /** The 1-minute load average when the stage ended: wall figures mean little when it is high. */
  readonly loadAverage: number;
  /**
   * For a stage run in this process, the share of the wall time its event loop was busy. Process
   * CPU also counts the collector's helper threads, so this tells whether the main thread, the
   * part nothing can share, is what the stage waits for.
   */
  readonly mainThreadBusy?: number;
}

/**
 * Wall time and CPU of one pipeline stage: the CPU of the process running it (this one, or a
 * service process) plus that of the PostgreSQL backends its pool (told apart by application
 * name) holds. CPU per event is the figure to compare between changes on a shared machine; wall
 * time is reported beside it.
 */
export class StageMeter {
  private constructor(
    private readonly pid: number,
    private readonly startedAt: number,
    private readonly cpuBefore: number,
    private readonly backends: BackendCpuTracker,
    private readonly stopProfile: (() => Promise<void>) | undefined,
    private readonly loopBefore: EventLoopUtilization | undefined,
  ) {}

  /**
   * `db` only reads pg_stat_activity; the stage's own pool must carry `applicationName`. With
   * BENCH_CPU_PROFILE=<file>, a CPU profile of this process over the stage is written there, and
   * with BENCH_ALLOCATION_PROFILE=<file> a sampled allocation profile (only when the stage runs in
   * this process).
   */
  static async start(
    db: pg.Pool,
    database: string,
    applicationName: string,
    pid: number = process.pid,
  ): Promise<StageMeter> {
    const backends = await BackendCpuTracker.start(db, database, applicationName);
    const inProcess = pid === process.pid;
    const stopProfile = inProcess ? await startProfiles() : undefined;
    const loopBefore = inProcess ? performance.eventLoopUtilization() : undefined;
    return new StageMeter(pid, performance.now(), processCpuSeconds(pid), backends, stopProfile, loopBefore);
  }

  /**
   * Call while the stage's pool is still open: backends that already ended are not counted.
   * A backend the pool opened after start() is counted whole, which is what it used for the stage.
   */
  async stop(events: number): Promise<StageCost> {
    const wallSeconds = (performance.now() - this.startedAt) / 1000;
    const cpuSeconds = processCpuSeconds(this.pid) - this.cpuBefore;
    const loop = this.loopBefore && performance.eventLoopUtilization(this.loopBefore);
    const backendSeconds = await this.backends.stop();
    await this.stopProfile?.();
    return {
      events,
      wallSeconds,
      eventsPerSecond: events / wallSeconds,
      processCpuUsPerEvent: (cpuSeconds * 1e6) / events,
      backendCpuUsPerEvent: (backendSeconds * 1e6) / events,
      loadAverage: loadavg()[0] ?? 0,
      ...(loop === undefined ? {} : { mainThreadBusy: loop.utilization }),
    };
  }
}

export function formatStageCost(name: string, cost: StageCost): string {
  return [
    `${name}: ${cost.events} events in ${cost.wallSeconds.toFixed(2)} s = ${cost.eventsPerSecond.toFixed(0)} events/s`,
    `  process CPU ${cost.processCpuUsPerEvent.toFixed(0)} us/event, PostgreSQL backends ${cost.backendCpuUsPerEvent.toFixed(0)} us/event`,
    ...(cost.mainThreadBusy === undefined
      ? []
      : [`  main thread busy ${formatShare(cost.mainThreadBusy)} of the time`]),
    `  load average (1 min) at the end: ${cost.loadAverage.toFixed(1)}`,
  ].join('\n');
}

export const formatShare = (share: number): string => `${Math.round(share * 100)}%`;

/** The profiles the environment asks for, started together; the result stops them all. */
async function startProfiles(): Promise<(() => Promise<void>) | undefined> {
  const cpu = process.env.BENCH_CPU_PROFILE;
  const allocations = process.env.BENCH_ALLOCATION_PROFILE;
  const stops = [
    ...(cpu ? [await startStageProfile(cpu)] : []),
    ...(allocations ? [await startStageAllocationProfile(allocations)] : []),
  ];
  if (stops.length === 0) return undefined;
  return async () => {
    for (const stop of stops) await stop();
  };
}
