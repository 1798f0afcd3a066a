import type pg from 'pg';
import { SERVICES, type Service, type ServicePipeline } from '../../tests/e2e/support/service-pipeline.js';
import { type BackendCpu, backendCpuBetween, sampleBackendCpu } from '../support/postgres-backend-cpu.js';
import { processCpuSeconds } from '../support/process-cpu.js';

type ServiceCpuSample = Record<Service, { readonly process: number; readonly backends: BackendCpu }>;

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
  const sample = async (): Promise<ServiceCpuSample> => {
    const entries = await Promise.all(
      SERVICES.map(async (service) => {
        const backends = await sampleBackendCpu(db, database, `leadscore-${service}`);
        return [service, { process: processCpuSeconds(pipeline.pid(service)), backends }] as const;
      }),
    );
    return Object.fromEntries(entries) as ServiceCpuSample;
  };
  const before = await sample();
  return async () => {
    const after = await sample();
    const used = SERVICES.map((service) => [
      service,
      {
        processSeconds: Number((after[service].process - before[service].process).toFixed(2)),
        postgresSeconds: Number(
          backendCpuBetween(before[service].backends, after[service].backends).toFixed(2),
        ),
      },
    ]);
    return Object.fromEntries(used) as Record<Service, ServiceCpu>;
  };
}

/** One line per service: CPU seconds, and microseconds per event, of the process and its backends. */
export function formatServiceCpu(used: Record<Service, ServiceCpu>, events: number): string[] {
  const perEvent = (seconds: number) => `${Math.round((seconds * 1e6) / Math.max(events, 1))} us/event`;
  return SERVICES.map((service) => {
    const { processSeconds, postgresSeconds } = used[service];
    return `  ${service.padEnd(10)} process ${processSeconds.toFixed(1)} s (${perEvent(processSeconds)}), its PostgreSQL backends ${postgresSeconds.toFixed(1)} s (${perEvent(postgresSeconds)})`;
  });
}
