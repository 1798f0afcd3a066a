import type { Admin, Kafka } from 'kafkajs';
import type { Logger } from 'pino';
import type { TopicSpec } from '../bus.js';
import { BusUnhealthyError, UnknownTopicError } from '../errors.js';

/** One lazily connected kafkajs admin client for topic creation and health checks. */
export class ClusterAdmin {
  private admin: { readonly client: Admin; readonly ready: Promise<Admin> } | undefined;

  constructor(
    private readonly kafka: Kafka,
    private readonly brokers: readonly string[],
    private readonly logger: Logger,
  ) {}

  /**
   * Creates the topics that do not exist yet. One request per topic, so "already exists" (by an
   * earlier start or a concurrent instance) is an answer per topic rather than a failed batch.
   * A topic that could not be created is logged at error with the broker's reason (kafkajs's own
   * line about it is at debug, see pino-log-creator.ts), and the call rejects.
   */
  async ensureTopics(specs: readonly TopicSpec[]): Promise<void> {
    const admin = await this.connected();
    await Promise.all(
      specs.map((spec) =>
        createTopic(admin, spec).catch((error: unknown) => {
          this.logger.error(
            { topic: spec.name, partitions: spec.partitions, reasons: brokerReasons(error) },
            'could not create the topic',
          );
          throw error;
        }),
      ),
    );
  }

  /** The error for the first of `topics` the cluster does not have, if any; undefined when unsure. */
  async missingTopic(topics: readonly string[]): Promise<UnknownTopicError | undefined> {
    try {
      const existing = new Set(await (await this.connected()).listTopics());
      const missing = topics.find((topic) => !existing.has(topic));
      return missing === undefined ? undefined : new UnknownTopicError(missing);
    } catch {
      return undefined;
    }
  }

  /** Asks the cluster for its metadata; rejects when no answer comes within `timeoutMs`. */
  async healthCheck(timeoutMs: number): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new BusUnhealthyError(this.brokers, `no metadata answer within ${timeoutMs} ms`)),
        timeoutMs,
      );
    });
    try {
      const { brokers } = await Promise.race([
        this.connected().then((admin) => admin.describeCluster()),
        deadline,
      ]);
      if (brokers.length === 0) throw new BusUnhealthyError(this.brokers, 'the cluster reports no brokers');
    } catch (error) {
      if (error instanceof BusUnhealthyError) throw error;
      throw new BusUnhealthyError(this.brokers, error instanceof Error ? error.message : String(error), {
        cause: error,
      });
    } finally {
      clearTimeout(timer);
    }
  }

  async close(): Promise<void> {
    const current = this.admin;
    this.admin = undefined;
    // Disconnecting the client directly also ends a connect still retrying against a dead broker.
    await current?.client.disconnect().catch(() => undefined);
  }

  private connected(): Promise<Admin> {
    if (!this.admin) {
      const client = this.kafka.admin();
      const ready = client.connect().then(() => client);
      const entry = { client, ready };
      this.admin = entry;
      // A failed connect is forgotten so the next call tries again; callers see the rejection.
      ready.catch(() => {
        if (this.admin === entry) this.admin = undefined;
      });
    }
    return this.admin.ready;
  }
}

/**
 * What the broker said about each topic it did not create (kafkajs's KafkaJSAggregateError of
 * KafkaJSCreateTopicErrors), or the error's message when the request itself failed.
 */
function brokerReasons(error: unknown): { type?: string; message: string }[] {
  const errors = (error as { errors?: unknown }).errors;
  const each = Array.isArray(errors) ? errors : [error];
  return each.map((item) => {
    const { type, message } = item as { type?: unknown; message?: unknown };
    return {
      ...(typeof type === 'string' ? { type } : {}),
      message: typeof message === 'string' ? message : String(item),
    };
  });
}

const metadataPropagationAttempts = 50;

/**
 * kafkajs waits for the new topic's leaders with metadata requests but gives up at once when the
 * broker answers UNKNOWN_TOPIC_OR_PARTITION, which a KRaft broker does for a moment after the
 * creation while its metadata cache catches up. Asking again is safe: the topic then exists.
 */
async function createTopic(admin: Admin, spec: TopicSpec): Promise<void> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      await admin.createTopics({
        waitForLeaders: true,
        topics: [
          { topic: spec.name, ...(spec.partitions === undefined ? {} : { numPartitions: spec.partitions }) },
        ],
      });
      return;
    } catch (error) {
      const notYetKnown = (error as { type?: string }).type === 'UNKNOWN_TOPIC_OR_PARTITION';
      if (!notYetKnown || attempt >= metadataPropagationAttempts) throw error;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}
