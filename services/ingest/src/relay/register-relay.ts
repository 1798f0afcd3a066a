import { topics as topicNames } from '@leadscore/contracts';
import {
  leadEventsRoute,
  type RelayOptions,
  stageChangedRoute,
  startLeaderRelay,
  startRelay,
} from '@leadscore/eventstore';
import type { Bus } from '@leadscore/kafka';
import type { ServiceDependencies } from '@leadscore/platform';
import type { FastifyInstance } from 'fastify';

/**
 * The outbox relay lives in the ingest process, beside the consumer that writes the store: it
 * publishes recorded activity to leadscore.lead-events.v1 and the projector's LeadStageChanged
 * events to leadscore.stage-changed.v1. It stops when the app closes, before the bus and pool.
 */
export async function registerRelay(app: FastifyInstance, deps: ServiceDependencies<Bus>): Promise<void> {
  const mode = deps.config.ingest.relay;
  if (mode === 'off') return;
  const topics = topicNames(deps.config.kafka.topicPrefix);
  await deps.bus.ensureTopics([{ name: topics.leadEvents, partitions: 6 }, { name: topics.stageChanged }]);
  const options: RelayOptions = {
    pool: deps.pool,
    bus: deps.bus,
    routes: [
      leadEventsRoute({ topic: topics.leadEvents }),
      stageChangedRoute({ topic: topics.stageChanged }),
    ],
    logger: deps.logger.child({ component: 'relay' }),
  };
  if (mode === 'leader') {
    const relay = startLeaderRelay(options);
    app.addHook('onClose', () => relay.stop());
    return;
  }
  // `single`: the quickstart's embedded database answers one query at a time and cannot LISTEN.
  const relay = await startRelay({ ...options, listen: false, pollIntervalMs: 100 });
  app.addHook('onClose', () => relay.stop());
}
