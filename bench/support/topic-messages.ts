// Moved to tests/support; this forward stays until services/scoring/bench/consumer.bench.ts
// imports it from there.
export { messagesOnTopic } from '../../tests/support/topic-messages.js';
