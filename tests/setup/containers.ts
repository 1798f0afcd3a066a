import { PostgreSqlContainer } from '@testcontainers/postgresql';
import { GenericContainer, getContainerRuntimeClient, Wait } from 'testcontainers';
import { KAFKA_VERSION } from './kafka-jars.js';
import { waitForKafkaReady } from './kafka-ready.js';
import { asKafkaImageEnvironment, newClusterId, TEST_BROKER_SETTINGS } from './kafka-settings.js';
import type { KafkaEndpoint, Log, PostgresEndpoint } from './resources.js';

export const KAFKA_IMAGE = `apache/kafka:${KAFKA_VERSION}`;
// Same major version as docker-compose.yml and the design (PostgreSQL 15).
export const POSTGRES_IMAGE = 'postgres:15-alpine';

/** Whether a Docker (or compatible) engine answers, as testcontainers finds it; never waits long. */
export async function dockerAnswers(timeoutMs = 5_000): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), timeoutMs);
  });
  const probe = getContainerRuntimeClient().then(
    () => true,
    () => false,
  );
  try {
    return await Promise.race([probe, timedOut]);
  } finally {
    clearTimeout(timer);
  }
}

const CLIENT_PORT = 9092;
const INTERNAL_PORT = 9093;
const CONTROLLER_PORT = 9094;
const STARTER_SCRIPT = '/tmp/leadscore-start-kafka.sh';
const WAITING_MESSAGE = 'leadscore: waiting for the starter script';

/**
 * A single-node KRaft broker from the official apache/kafka image.
 *
 * @testcontainers/kafka's KafkaContainer only drives Confluent images (it checks for a Confluent
 * version and runs /etc/confluent/docker/run), so this uses a GenericContainer. Clients must be
 * told the host port Docker mapped, known only once the container runs: the container waits for
 * a starter script, which we copy in with the advertised listener and which then runs the
 * image's own entrypoint.
 */
export async function startKafkaContainer(log: Log): Promise<KafkaEndpoint> {
  const container = await new GenericContainer(KAFKA_IMAGE)
    .withExposedPorts(CLIENT_PORT)
    .withEnvironment({
      CLUSTER_ID: newClusterId(),
      KAFKA_NODE_ID: '1',
      KAFKA_PROCESS_ROLES: 'broker,controller',
      KAFKA_CONTROLLER_QUORUM_VOTERS: `1@localhost:${CONTROLLER_PORT}`,
      KAFKA_LISTENERS: `PLAINTEXT://0.0.0.0:${CLIENT_PORT},BROKER://0.0.0.0:${INTERNAL_PORT},CONTROLLER://0.0.0.0:${CONTROLLER_PORT}`,
      KAFKA_LISTENER_SECURITY_PROTOCOL_MAP: 'PLAINTEXT:PLAINTEXT,BROKER:PLAINTEXT,CONTROLLER:PLAINTEXT',
      KAFKA_INTER_BROKER_LISTENER_NAME: 'BROKER',
      KAFKA_CONTROLLER_LISTENER_NAMES: 'CONTROLLER',
      ...asKafkaImageEnvironment(TEST_BROKER_SETTINGS),
    })
    .withEntrypoint(['sh', '-c'])
    .withCommand([
      `echo '${WAITING_MESSAGE}'; while [ ! -f ${STARTER_SCRIPT} ]; do sleep 0.1; done; exec ${STARTER_SCRIPT}`,
    ])
    .withWaitStrategy(Wait.forLogMessage(WAITING_MESSAGE))
    .withStartupTimeout(120_000)
    .start();
  const stop = async () => {
    await container.stop();
  };
  try {
    const brokers = [`${container.getHost()}:${container.getMappedPort(CLIENT_PORT)}`];
    const advertised = `PLAINTEXT://${brokers[0]},BROKER://localhost:${INTERNAL_PORT}`;
    await container.copyContentToContainer([
      {
        content: `#!/bin/sh\nexport KAFKA_ADVERTISED_LISTENERS=${advertised}\nexec /etc/kafka/docker/run\n`,
        target: STARTER_SCRIPT,
        mode: 0o755,
      },
    ]);
    await waitForKafkaReady(brokers, { timeoutMs: 120_000 });
    log(`Kafka ${brokers[0]}: container ${KAFKA_IMAGE} (${container.getId().slice(0, 12)})`);
    return { brokers, origin: `container ${KAFKA_IMAGE}`, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

export async function startPostgresContainer(log: Log): Promise<PostgresEndpoint> {
  const container = await new PostgreSqlContainer(POSTGRES_IMAGE).start();
  // The image's POSTGRES_USER is a superuser, so per-file databases can be created.
  const url = container.getConnectionUri();
  log(`PostgreSQL ${container.getHost()}:${container.getPort()}: container ${POSTGRES_IMAGE}`);
  return {
    url,
    origin: `container ${POSTGRES_IMAGE}`,
    stop: async () => {
      await container.stop();
    },
  };
}
