export { BATCHING_FETCH } from './batching-fetch.js';
export type * from './bus.js';
export { coalesceConcurrent } from './coalesce-concurrent.js';
export {
  BusClosedError,
  BusOptionsError,
  BusUnhealthyError,
  PublishFailedError,
  UnknownTopicError,
} from './errors.js';
export { createInProcessBus, type InProcessBusOptions } from './in-process/in-process-bus.js';
export { createKafkaBus, type KafkaBusOptions } from './kafkajs/create-kafka-bus.js';
export type { IdleFetch } from './kafkajs/idle-aware-fetch-wait.js';
export type { ConsumerSettings } from './kafkajs/kafka-subscription.js';
export type { KafkaLogLevel } from './kafkajs/pino-log-creator.js';
export { DEFAULT_RETRY_BACKOFF, type RetryBackoff } from './retry-backoff.js';
