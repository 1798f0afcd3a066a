import { createInProcessBus } from '../../packages/kafka/src/index.js';
import { describeBusContract } from './bus-contract.js';

describeBusContract(
  'in-process',
  (logger) => createInProcessBus({ logger, retryBackoff: { initialMs: 100, maxMs: 1_000 } }),
  () => 'inproc.',
);
