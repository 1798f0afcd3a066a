export { appendedChannel } from './append-listener.js';
export { type AppendToStreamOptions, type AppendToStreamResult, appendToStream } from './append-to-stream.js';
export { type AppendedEvent, type AppendToStreamsResult, appendToStreams } from './append-to-streams.js';
export {
  AppendOrderConflictError,
  ConcurrentAppendError,
  EventStoreError,
  InvalidAppendError,
  NotInTransactionError,
  StreamVersionConflictError,
} from './errors.js';
export { forEachRow } from './for-each-row.js';
export type { IdConflict } from './id-conflicts.js';
export { type LeadEventsRouteOptions, leadEventsRoute, toLeadEvent } from './lead-events-route.js';
export { type StreamAppend, satisfiesExpectedVersion } from './plan-append.js';
export { type ReadAllOptions, type ReadAllResult, readAll } from './read-all.js';
export { readCheckpoint } from './read-checkpoint.js';
export { type ReadStreamOptions, type ReadStreamResult, readStream } from './read-stream.js';
export { readStreamVersions, readStreamVersionsToAppend } from './read-stream-versions.js';
export { forEachStream, readStreams } from './read-streams.js';
export { publishBatch, type RelayOptions, startRelay } from './relay.js';
export { type LeaderRelay, type LeaderRelayOptions, startLeaderRelay } from './relay-leadership.js';
export { type RelayRoute, type RoutedMessage, routeBatch } from './relay-route.js';
export { type SessionStatements, sessionStatements } from './session-statements.js';
export {
  leadStageChangedEventType,
  type StageChangedRouteOptions,
  stageChangedRoute,
} from './stage-changed-route.js';
export { storeCheckpoint } from './store-checkpoint.js';
export { type AllSubscription, type SubscribeToAllOptions, subscribeToAll } from './subscribe-to-all.js';
export { atomically, atomicallyOpenedWith, type Opening } from './transaction.js';
export {
  type ExpectedVersion,
  type GlobalCheckpoint,
  type Logger,
  type NewEvent,
  type Queryable,
  type RecordedEvent,
  silentLogger,
  startOfLog,
} from './types.js';
