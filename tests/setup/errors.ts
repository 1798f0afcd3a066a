/** Why provisioning failed, in words a person can act on; `code` lets callers and tests tell cases apart. */
export type TestInfraErrorCode =
  | 'INVALID_SETTING'
  | 'JAVA_MISSING'
  | 'JAVA_TOO_OLD'
  | 'MAVEN_MISSING'
  | 'COMMAND_FAILED'
  | 'KAFKA_JARS_INCOMPLETE'
  | 'KAFKA_NOT_READY'
  | 'POSTGRES_BINARIES_MISSING'
  | 'POSTGRES_NOT_READY'
  | 'PROCESS_EXITED';

export class TestInfraError extends Error {
  override readonly name = 'TestInfraError';

  constructor(
    readonly code: TestInfraErrorCode,
    message: string,
    readonly context: Readonly<Record<string, unknown>> = {},
  ) {
    super(message);
  }
}
