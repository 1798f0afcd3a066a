import { createKafkaBus } from '@leadscore/kafka';
import { runService } from '@leadscore/platform';
import { buildApp } from './app.js';

await runService({ name: 'scoring', createBus: createKafkaBus, buildApp });
