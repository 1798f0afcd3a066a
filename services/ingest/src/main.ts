import { createKafkaBus } from '@leadscore/kafka';
import { runService } from '@leadscore/platform';
import { buildApp } from './app.js';
import { INGEST_CONSUMER_SETTINGS, INGEST_PRODUCER_SETTINGS } from './ingest-module.js';

await runService({
  name: 'ingest',
  createBus: (settings) =>
    createKafkaBus({
      ...settings,
      consumer: INGEST_CONSUMER_SETTINGS,
      producer: INGEST_PRODUCER_SETTINGS,
    }),
  buildApp,
});
