import type pg from 'pg';
import { SERVICES, type Service, type ServicePipeline } from '../../tests/e2e/support/service-pipeline.js';
import type { MachineCpu } from '../support/machine-cpu.js';
import { BackendCpuTracker } from '../support/postgres-backend-cpu.js';
import { processCpuSeconds } from '../support/process-cpu.js';

/** The application name of the bench's own connections (probes, backlog queries), told apart like a service's. */
export const BENCH_APPLICATION_NAME = 'leadscore-bench';

/** CPU seconds one service used over a phase: its process, and the PostgreSQL backends it holds. */
export interface ServiceCpu {
  readonly processSeconds: number;
  readonly postgresSeconds: number;
}

/**
 * CPU per service over a phase of the run: where the 2 cores went, which wall-clock latencies
 * alone do not tell on a shared machine. Backends are told apart by the application name each
 * service gives its pool (`leadscore-<service>`).
 */
export async function startServiceCpu(
  pipeline: ServicePipeline,
  db: pg.Pool,
  database: string,
): Promise<() => Promise<Record<Service, ServiceCpu>>> {
  const tracked = await Promise.all(
    SERVICES.map(async (service) => ({
      service,
      processBefore: processCpuSeconds(pipeline.pid(service)),
      backends: await BackendCpuTracker.start(db, database, `leadscore-${service}`),
    })),
  );
  return async () => {
    const used = await Promise.all(
      tracked.map(async ({ service, processBefore, backends }) => [
        service,
        {
          processSeconds: Number((processCpuSeconds(pipeline.pid(service)) - processBefore).toFixed(2)),
          postgresSeconds: Number((await backends.stop()).toFixed(2)),
        },
      ]),
    );
    return Object.fromEntries(used) as Record<Service, ServiceCpu>;
  };
}

const perEventOf = (events: number) => (seconds: number) =>
  `${Math.round((seconds * 1e6) / Math.max(events, 1))} us/event`;

/** One line per service: CPU seconds, and microseconds per event, of the process and its backends. */
export function formatServiceCpu(used: Record<Service, ServiceCpu>, events: number): string[] {
  const perEvent = perEventOf(events);
  return SERVICES.map((service) => {
    const { processSeconds, postgresSeconds } = used[service];
    return `  ${service.padEnd(10)} process ${processSeconds.toFixed(1)} s (${perEvent(processSeconds)}), its PostgreSQL backends ${postgresSeconds.toFixed(1)} s (${perEvent(postgresSeconds)})`;
  });
}

/**
 * The rest of the machine over the same phase: how many cores were busy, what this bench process
 * and its PostgreSQL backends used (load generator, listeners, probes: on a real deployment they
 * run elsewhere), the Kafka broker when its process is known, and what is left for everything
 * else (PostgreSQL's own processes, the kernel, other work; the broker too when it is not known).
 */
export function formatMachineCpu(
  machine: MachineCpu,
  services: Record<Service, ServiceCpu>,
  benchPostgresSeconds: number,
  events: number,
): string[] {
  const perEvent = perEventOf(events);
  const servicesSeconds = SERVICES.reduce(
    (sum, service) => sum + services[service].processSeconds + services[service].postgresSeconds,
    0,
  );
  const broker = machine.brokerSeconds;
  const accounted = servicesSeconds + machine.benchSeconds + benchPostgresSeconds + (broker ?? 0);
  const rest = Math.max(0, machine.busySeconds - accounted);
  const seconds = (value: number) => `${value.toFixed(1)} s (${perEvent(value)})`;
  return [
    `  the machine: ${(machine.busySeconds / machine.wallSeconds).toFixed(2)} cores busy on average over ${machine.wallSeconds.toFixed(1)} s; services with their backends ${seconds(servicesSeconds)}`,
    `  bench process (load, listeners, probes) ${seconds(machine.benchSeconds)}, its PostgreSQL backends ${seconds(benchPostgresSeconds)}`,
    broker === undefined
      ? `  everything else (the Kafka broker, PostgreSQL's own processes, the kernel) ${seconds(rest)}`
      : `  Kafka broker ${seconds(broker)}; everything else (PostgreSQL's own processes, the kernel) ${seconds(rest)}`,
  ];
}
