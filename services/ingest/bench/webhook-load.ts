import autocannon from 'autocannon';
import { Kafka, logLevel } from 'kafkajs';

export interface LoadResult {
  readonly requestsPerSecond: number;
  readonly eventsPerSecond: number;
  readonly latencyP50Ms: number;
  readonly latencyP99Ms: number;
  readonly errors: number;
  /** Answers by status code and failures by kind, so an error count can be told apart. */
  readonly outcomes?: Readonly<Record<string, number>>;
}

interface AutocannonResult {
  statusCodeStats: Record<string, { count: number }>;
  requests: { average: number };
  latency: { p50: number; p99: number };
  errors: number;
  timeouts: number;
  non2xx: number;
  duration: number;
  '2xx': number;
}

/**
 * Drives POST /v1/events with autocannon over loopback, cycling through prepared bodies so
 * requests spread over leads and partitions like real traffic. Only 2xx answers count.
 */
export async function loadWebhook(options: {
  readonly url: string;
  readonly apiKey: string;
  readonly bodies: readonly string[];
  readonly eventsPerRequest: number;
  readonly connections: number;
  readonly durationSeconds: number;
}): Promise<LoadResult> {
  let next = 0;
  const result = (await autocannon({
    url: `${options.url}/v1/events`,
    method: 'POST',
    connections: options.connections,
    duration: options.durationSeconds,
    headers: { authorization: `Bearer ${options.apiKey}`, 'content-type': 'application/json' },
    requests: [
      {
        setupRequest: (request: Record<string, unknown>) => {
          const body = options.bodies[next % options.bodies.length];
          next += 1;
          return { ...request, body };
        },
      },
    ],
  })) as unknown as AutocannonResult;
  const accepted = result['2xx'] / result.duration;
  return {
    requestsPerSecond: accepted,
    eventsPerSecond: accepted * options.eventsPerRequest,
    latencyP50Ms: result.latency.p50,
    latencyP99Ms: result.latency.p99,
    errors: result.errors + result.non2xx,
    outcomes: {
      ...Object.fromEntries(
        Object.entries(result.statusCodeStats).map(([status, stat]) => [status, stat.count]),
      ),
      socketErrors: result.errors - result.timeouts,
      timeouts: result.timeouts,
    },
  };
}

/**
 * Baseline: the bare kafkajs producer (acks=all) sending the same messages to a topic of the
 * same shape, from as many concurrent senders as autocannon has connections, for as long.
 */
export async function loadBareProducer(options: {
  readonly brokers: readonly string[];
  readonly topic: string;
  readonly messages: readonly { key: string; value: string }[];
  readonly messagesPerSend: number;
  readonly concurrency: number;
  readonly durationSeconds: number;
}): Promise<LoadResult> {
  const kafka = new Kafka({
    clientId: 'bench-bare-producer',
    brokers: [...options.brokers],
    logLevel: logLevel.ERROR,
  });
  const producer = kafka.producer();
  await producer.connect();
  const latencies: number[] = [];
  let sent = 0;
  let errors = 0;
  let next = 0;
  const deadline = Date.now() + options.durationSeconds * 1000;
  const started = Date.now();
  async function sender(): Promise<void> {
    while (Date.now() < deadline) {
      const messages = Array.from({ length: options.messagesPerSend }, () => {
        const message = options.messages[next % options.messages.length]!;
        next += 1;
        return message;
      });
      const sendStarted = performance.now();
      try {
        await producer.send({ topic: options.topic, acks: -1, messages });
        sent += 1;
        latencies.push(performance.now() - sendStarted);
      } catch {
        errors += 1;
      }
    }
  }
  await Promise.all(Array.from({ length: options.concurrency }, sender));
  const seconds = (Date.now() - started) / 1000;
  await producer.disconnect();
  latencies.sort((a, b) => a - b);
  const percentile = (p: number) =>
    latencies[Math.min(latencies.length - 1, Math.floor(latencies.length * p))] ?? 0;
  return {
    requestsPerSecond: sent / seconds,
    eventsPerSecond: (sent * options.messagesPerSend) / seconds,
    latencyP50Ms: percentile(0.5),
    latencyP99Ms: percentile(0.99),
    errors,
  };
}
