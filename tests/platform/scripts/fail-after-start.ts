// A process that installs the services' shutdown, then finds part of itself stopped for good:
// what runService does when kafkajs gives up on a consumer.
import { createLogger, installGracefulShutdown } from '../../../packages/platform/src/index.js';

const logger = createLogger({ service: 'scoring', level: 'info' });
const shutdown = installGracefulShutdown({
  logger,
  graceMs: 5_000,
  close: async () => {
    logger.info('closing resources');
  },
});
// Keeps the process alive, as a listening server would.
setInterval(() => undefined, 1_000);
setTimeout(() => {
  shutdown.fail(
    'the consumer of group leadscore-scoring stopped for good',
    new Error('Not authorized to access group'),
  );
  // A second report while closing changes nothing.
  shutdown.fail('again', new Error('twice'));
}, 100);
