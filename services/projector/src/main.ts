import { createKafkaBus } from '@leadscore/kafka';
import { runService } from '@leadscore/platform';
import { buildApp } from './app.js';
import { PROJECTOR_CONSUMER_SETTINGS } from './projector-module.js';

await runService({
  name: 'projector',
  createBus: (settings) => createKafkaBus({ ...settings, consumer: PROJECTOR_CONSUMER_SETTINGS }),
  buildApp,
});
