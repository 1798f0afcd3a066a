/** One line of progress for the person running the tests. */
export type Log = (message: string) => void;

export const stderrLog: Log = (message) => {
  process.stderr.write(`[test-infra] ${message}\n`);
};

/** A Kafka the tests can use; `stop` releases whatever was started for it (a no-op for a given one). */
export interface KafkaEndpoint {
  readonly brokers: string[];
  /** Where it came from, for the log: "KAFKA_BROKERS", "broker from jars (pid 123)", ... */
  readonly origin: string;
  /** The broker's process, when it was started here from the jars (benchmarks read its CPU). */
  readonly pid?: number;
  stop(): Promise<void>;
}

/** A PostgreSQL server the tests can use; `url` connects as a role allowed to create databases. */
export interface PostgresEndpoint {
  readonly url: string;
  readonly origin: string;
  stop(): Promise<void>;
}

export const nothingToStop = async (): Promise<void> => {};

/** A connection URL fit for logs: the password, if any, replaced. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return '(unparseable URL)';
  }
}
