import { Kafka, logLevel } from 'kafkajs';
import { TestInfraError } from './errors.js';

export interface ReadinessOptions {
  readonly timeoutMs: number;
  /** Explains why waiting is pointless (the process died), or undefined while it may still come up. */
  readonly gaveUp?: () => string | undefined;
  /** Appended to the timeout error, e.g. the end of the broker log. */
  readonly diagnostics?: () => string;
}

/** Resolves once the brokers answer a metadata request (kafkajs admin describeCluster). */
export async function waitForKafkaMetadata(brokers: string[], options: ReadinessOptions): Promise<void> {
  const kafka = new Kafka({
    clientId: 'leadscore-test-setup',
    brokers,
    logLevel: logLevel.NOTHING,
    connectionTimeout: 1_000,
    retry: { retries: 0 },
  });
  const deadline = Date.now() + options.timeoutMs;
  let lastError = 'no attempt yet';
  while (Date.now() < deadline) {
    const reason = options.gaveUp?.();
    if (reason) {
      throw new TestInfraError('PROCESS_EXITED', `${reason}\n${options.diagnostics?.() ?? ''}`, { brokers });
    }
    const admin = kafka.admin();
    try {
      await admin.connect();
      await admin.describeCluster();
      return;
    } catch (error) {
      lastError = (error as Error).message;
    } finally {
      await admin.disconnect().catch(() => {});
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new TestInfraError(
    'KAFKA_NOT_READY',
    `Kafka at ${brokers.join(',')} did not answer a metadata request within ${options.timeoutMs} ms (last error: ${lastError})\n${options.diagnostics?.() ?? ''}`,
    { brokers, timeoutMs: options.timeoutMs },
  );
}
