import { type Topics, topics as topicNames } from '../../../packages/contracts/src/index.js';
import { createLogger, hashApiKey, runMigrations } from '../../../packages/platform/src/index.js';
import { freeLoopbackPortRun } from '../../setup/free-port.js';
import { ServiceProcess, waitUntilAnswering } from '../../support/service-process.js';

export const SERVICES = ['ingest', 'scoring', 'projector', 'api'] as const;
export type Service = (typeof SERVICES)[number];

/** Keys the services are configured with (only their hashes reach the services). */
export const KEYS = {
  ingest: 'e2e-ingest-key-0123456789abcdef',
  read: 'e2e-read-key-0123456789abcdef',
} as const;

const entry = (id: string, key: string, scopes: string) =>
  `${id}:${hashApiKey(key).toString('hex')}:${scopes}`;

export interface ServicePipelineOptions {
  readonly databaseUrl: string;
  readonly brokers: readonly string[];
  readonly topicPrefix: string;
  /** How long a (re)started service may take to answer /readyz. */
  readonly startTimeoutMs?: number;
}

/**
 * The four services as production runs them: each its own process started from its main.ts, with
 * configuration from the environment only, on free loopback ports, sharing one database and one
 * topic prefix. Any of them can be killed and started again; `stopAll` ends every process still
 * running (SIGTERM, then SIGKILL), so an afterAll calling it leaves nothing behind.
 */
export class ServicePipeline {
  readonly topics: Topics;
  private readonly processes = new Map<Service, ServiceProcess>();
  /** Every process each service ran as, the current one last. */
  private readonly history = new Map<Service, ServiceProcess[]>();

  private constructor(
    private readonly options: ServicePipelineOptions,
    private readonly ports: Readonly<Record<Service, number>>,
  ) {
    this.topics = topicNames(options.topicPrefix);
  }

  /** Migrates the database once (four services migrating side by side would race), then starts all four. */
  static async start(options: ServicePipelineOptions): Promise<ServicePipeline> {
    await runMigrations({
      databaseUrl: options.databaseUrl,
      logger: createLogger({ service: 'api', level: 'silent' }),
    });
    // Consecutive ports, checked free together: separate picks could hand out one port twice.
    const base = await freeLoopbackPortRun(SERVICES.length);
    const ports = Object.fromEntries(SERVICES.map((service, index) => [service, base + index])) as Record<
      Service,
      number
    >;
    const pipeline = new ServicePipeline(options, ports);
    try {
      // In flow order, so each consumer finds the topics its upstream service ensured.
      for (const service of SERVICES) await pipeline.startService(service);
    } catch (error) {
      await pipeline.stopAll();
      throw error;
    }
    return pipeline;
  }

  url(service: Service): string {
    return `http://127.0.0.1:${this.ports[service]}`;
  }

  pid(service: Service): number {
    return this.process(service).pid;
  }

  async startService(service: Service): Promise<void> {
    if (this.processes.get(service)?.running) throw new Error(`${service} is already running`);
    const child = new ServiceProcess(service, this.environment(service));
    this.processes.set(service, child);
    this.history.set(service, [...(this.history.get(service) ?? []), child]);
    await waitUntilAnswering(`${this.url(service)}/readyz`, child, this.options.startTimeoutMs ?? 90_000);
  }

  /** Kills the service without warning (SIGKILL: no drain, no offset commit, no goodbye to the group). */
  async kill(service: Service): Promise<void> {
    await this.process(service).stop('SIGKILL');
  }

  /** Stops the service gracefully (SIGTERM: drains, commits, leaves its consumer group). */
  async stop(service: Service): Promise<void> {
    const child = this.process(service);
    const exit = await child.stop('SIGTERM', 20_000);
    if (exit.code !== 0)
      throw new Error(`${service} stopped with ${exit.code ?? exit.signal}: ${this.logs(child)}`);
  }

  async stopAll(): Promise<void> {
    await Promise.all([...this.processes.values()].map((child) => child.stop('SIGTERM', 20_000)));
  }

  /** Services whose latest process is no longer running (killed, stopped, or crashed). */
  notRunning(): Service[] {
    return SERVICES.filter((service) => this.processes.get(service)?.running === false);
  }

  /** The end of what a service wrote (all its processes so far), for failure messages. */
  logsOf(service: Service): string {
    return (this.history.get(service) ?? []).map((child) => this.logs(child)).join('\n');
  }

  private logs(child: ServiceProcess): string {
    const { stdout, stderr } = child.output;
    return `${stdout.slice(-4_000)}\n${stderr.slice(-4_000)}`;
  }

  private process(service: Service): ServiceProcess {
    const child = this.processes.get(service);
    if (!child) throw new Error(`${service} was never started`);
    return child;
  }

  private environment(service: Service): Record<string, string> {
    return {
      NODE_ENV: 'test',
      LOG_LEVEL: process.env.E2E_LOG_LEVEL ?? 'warn',
      HOST: '127.0.0.1',
      PORT: String(this.ports[service]),
      DATABASE_URL: this.options.databaseUrl,
      KAFKA_BROKERS: this.options.brokers.join(','),
      TOPIC_PREFIX: this.options.topicPrefix,
      INGEST_API_KEYS: entry('e2e-tool', KEYS.ingest, 'ingest'),
      API_KEYS: entry('e2e-ops', KEYS.read, 'read'),
      // The tests post thousands of events as fast as the webhook takes them.
      INGEST_RATE_LIMIT_PER_SECOND: '100000',
      INGEST_RATE_LIMIT_BURST: '100000',
      SHUTDOWN_GRACE_MS: '15000',
      // A broker busy with a whole suite on 2 cores answered metadata in over 2 s (the default),
      // and a service that is up would keep reporting Kafka down until the start deadline.
      READINESS_TIMEOUT_MS: '10000',
    };
  }
}
