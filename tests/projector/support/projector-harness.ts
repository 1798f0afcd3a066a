import type { Registry } from 'prom-client';
import {
  type AllSubscription,
  stageChangedRoute,
  startRelay,
} from '../../../packages/eventstore/src/index.js';
import { buildApp } from '../../../services/projector/src/app.js';
import type { ProjectorOptions } from '../../../services/projector/src/index.js';
import { PROJECTOR_CONSUMER_SETTINGS } from '../../../services/projector/src/projector-module.js';
import {
  type ServiceSite,
  type ServiceUnderTest,
  startService,
  testLogger,
} from '../../support/service-harness.js';

export type ProjectorUnderTest = ServiceUnderTest;

export interface StartProjectorOptions extends ServiceSite {
  readonly projector?: ProjectorOptions;
}

/** The projector service as production builds it (config from the environment, then buildApp), on the real broker. */
export function startProjector(options: StartProjectorOptions): Promise<ProjectorUnderTest> {
  return startService({
    ...options,
    service: 'projector',
    poolSize: 8,
    consumer: PROJECTOR_CONSUMER_SETTINGS,
    build: (deps) => buildApp(deps, options.projector),
  });
}

/** The outbox relay publishing stage changes from the store, as production runs it. */
export function startStageRelay(projector: ProjectorUnderTest): Promise<AllSubscription> {
  return startRelay({
    pool: projector.pool,
    bus: projector.bus,
    routes: [stageChangedRoute({ topic: projector.topics.stageChanged })],
    subscriber: 'projector-test-relay',
    pollIntervalMs: 100,
    logger: testLogger('relay'),
  });
}

/** The value of a counter (summed over the labels given) on the projector's registry. */
export async function counterValue(
  metrics: Registry,
  name: string,
  labels: Readonly<Record<string, string>> = {},
): Promise<number> {
  const metric = await metrics.getSingleMetric(name)?.get();
  return (metric?.values ?? [])
    .filter((value) => Object.entries(labels).every(([key, wanted]) => value.labels[key] === wanted))
    .reduce((sum, value) => sum + value.value, 0);
}
