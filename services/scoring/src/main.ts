import { createKafkaBus } from '@leadscore/kafka';
import { runService } from '@leadscore/platform';
import { buildApp } from './app.js';
import { SCORING_CONSUMER_SETTINGS } from './scoring-module.js';

await runService({
  name: 'scoring',
  createBus: (settings) => createKafkaBus({ ...settings, consumer: SCORING_CONSUMER_SETTINGS }),
  buildApp,
});
