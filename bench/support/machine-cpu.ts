import { readFileSync } from 'node:fs';
import { processCpuSeconds, TICKS_PER_SECOND } from './process-cpu.js';

/**
 * CPU seconds the whole machine spent busy so far (every core: user, nice, system, irq, softirq,
 * steal), from the first line of /proc/stat. Idle and iowait are the time no one used.
 */
function machineBusySeconds(): number {
  const first = readFileSync('/proc/stat', 'utf8').split('\n', 1)[0] ?? '';
  const [user, nice, system, _idle, _iowait, irq, softirq, steal] = first
    .trim()
    .split(/\s+/)
    .slice(1)
    .map(Number);
  const busy = [user, nice, system, irq, softirq, steal].reduce<number>(
    (sum, ticks) => sum + (ticks ?? 0),
    0,
  );
  return busy / TICKS_PER_SECOND;
}

/** This process's CPU seconds (user + system) so far. */
function ownCpuSeconds(): number {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1e6;
}

/** Where a phase's CPU went beyond the services: the whole machine, and this bench process. */
export interface MachineCpu {
  readonly wallSeconds: number;
  /** Busy CPU seconds of every process on the machine. */
  readonly busySeconds: number;
  /** CPU seconds of the bench process itself: the load generator, listeners and probes. */
  readonly benchSeconds: number;
  /** CPU seconds of the Kafka broker, when its process runs here and is known (started from the jars). */
  readonly brokerSeconds?: number;
}

/** Starts measuring a phase; the returned function ends it. `brokerPid`: the Kafka broker's process, if known. */
export function startMachineCpu(brokerPid?: number): () => MachineCpu {
  const started = {
    wall: performance.now(),
    busy: machineBusySeconds(),
    own: ownCpuSeconds(),
    broker: brokerPid === undefined ? 0 : processCpuSeconds(brokerPid),
  };
  return () => ({
    wallSeconds: round((performance.now() - started.wall) / 1000),
    busySeconds: round(machineBusySeconds() - started.busy),
    benchSeconds: round(ownCpuSeconds() - started.own),
    ...(brokerPid === undefined
      ? {}
      : { brokerSeconds: round(processCpuSeconds(brokerPid) - started.broker) }),
  });
}

const round = (seconds: number) => Number(seconds.toFixed(2));
