import { type AllSubscription, leadEventsRoute, startRelay } from '../../../packages/eventstore/src/index.js';
import type { Bus } from '../../../packages/kafka/src/index.js';
import { buildApp } from '../../../services/scoring/src/app.js';
import { SCORING_CONSUMER_SETTINGS } from '../../../services/scoring/src/scoring-module.js';
import { type ServiceSite, type ServiceUnderTest, startService } from '../../support/service-harness.js';

export interface ScoringUnderTest extends ServiceUnderTest {
  /** Starts an event-store relay to the lead-events topic; stopped by close(). */
  startRelay(subscriber?: string): Promise<AllSubscription>;
}

export interface StartScoringOptions extends ServiceSite {
  /** Wraps the real bus the app gets, e.g. to make a publish fail. */
  readonly wrapBus?: (bus: Bus) => Bus;
}

/**
 * The scoring service as production builds it (config from environment variables, then buildApp)
 * on the real broker and a test database, plus what a test needs to feed it: the relay that
 * publishes appended events to leadscore.lead-events.v1.
 */
export async function startScoring(options: StartScoringOptions): Promise<ScoringUnderTest> {
  const scoring = await startService({
    ...options,
    service: 'scoring',
    poolSize: 5,
    consumer: SCORING_CONSUMER_SETTINGS,
    build: buildApp,
  });
  await scoring.app.ready();
  const relays: AllSubscription[] = [];
  return {
    ...scoring,
    async startRelay(subscriber = 'relay') {
      const relay = await startRelay({
        pool: scoring.pool,
        bus: scoring.bus,
        routes: [leadEventsRoute({ topic: scoring.topics.leadEvents })],
        subscriber,
        logger: scoring.logger,
      });
      relays.push(relay);
      return relay;
    },
    async close() {
      for (const relay of relays) await relay.stop();
      await scoring.close();
    },
  };
}
