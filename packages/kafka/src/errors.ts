/** The topic was never created: topics are made by `ensureTopics` at start, never implicitly by a write. */
export class UnknownTopicError extends Error {
  readonly code = 'BUS_UNKNOWN_TOPIC';
  override readonly name = 'UnknownTopicError';

  constructor(readonly topic: string) {
    super(`Topic "${topic}" does not exist; create it with ensureTopics() before using it`);
  }
}

/** Kafka did not acknowledge a publish: none of its messages may be assumed written. */
export class PublishFailedError extends Error {
  readonly code = 'BUS_PUBLISH_FAILED';
  override readonly name = 'PublishFailedError';

  constructor(
    readonly topics: readonly string[],
    readonly messageCount: number,
    options: { cause: unknown },
  ) {
    super(
      `Publishing ${messageCount} message(s) to ${topics.join(', ')} was not acknowledged: ${describe(options.cause)}`,
      options,
    );
  }
}

/** The bus cannot serve metadata requests (broker down, unreachable, or too slow to answer). */
export class BusUnhealthyError extends Error {
  readonly code = 'BUS_UNHEALTHY';
  override readonly name = 'BusUnhealthyError';

  constructor(
    readonly brokers: readonly string[],
    reason: string,
    options?: { cause: unknown },
  ) {
    super(`Kafka at ${brokers.join(',')} is not healthy: ${reason}`, options);
  }
}

/** The bus was closed; a service only sees this while shutting down. */
export class BusClosedError extends Error {
  readonly code = 'BUS_CLOSED';
  override readonly name = 'BusClosedError';

  constructor(readonly operation: string) {
    super(`Cannot ${operation}: the bus is closed`);
  }
}

/** The options given to a bus factory or subscribe() cannot work. */
export class BusOptionsError extends Error {
  readonly code = 'BUS_OPTIONS_INVALID';
  override readonly name = 'BusOptionsError';

  constructor(
    readonly option: string,
    reason: string,
  ) {
    super(`Invalid bus option ${option}: ${reason}`);
  }
}

function describe(cause: unknown): string {
  return cause instanceof Error ? cause.message : String(cause);
}
