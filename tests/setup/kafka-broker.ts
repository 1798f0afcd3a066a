import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { freeLoopbackPort } from './free-port.js';
import { requireJava } from './java.js';
import { waitForKafkaReady } from './kafka-ready.js';
import { asProperties, newClusterId, TEST_BROKER_SETTINGS } from './kafka-settings.js';
import { describeExit, type ManagedProcess, runToCompletion, startProcess, tailOfFile } from './processes.js';
import type { KafkaEndpoint, Log } from './resources.js';
import { makeTempDir } from './temp-dir.js';

/**
 * How far the broker's JIT compiles. `quick-start` stops at C1: the broker starts a little faster
 * and compiles nothing more while tests run, which never push enough traffic through it for the
 * optimising compiler to pay off. `optimising` is the JVM's default, as a production broker runs,
 * for benchmarks: at 2,000 events/s through the pipeline the broker then used about a fifth less
 * CPU once warm (0.21 against 0.26 cores, 2026-12-07), for about 0.5 s more to start.
 */
export type BrokerJit = 'quick-start' | 'optimising';

// Small heap and serial GC for a 2-core CI box.
const jvmOptions = (jit: BrokerJit) => [
  '-Xmx512m',
  '-Xms128m',
  '-XX:+UseSerialGC',
  ...(jit === 'quick-start' ? ['-XX:TieredStopAtLevel=1'] : []),
  '-Djava.awt.headless=true',
];

/**
 * Starts a single-node KRaft broker (broker and controller in one JVM) from the cached jars,
 * with its data and logs in a fresh temp dir, on free loopback ports. Resolves once it answers
 * metadata requests; on any failure everything started so far is stopped and removed.
 */
export async function startKafkaFromJars(options: {
  libDir: string;
  log: Log;
  readyTimeoutMs?: number;
  jit?: BrokerJit;
}): Promise<KafkaEndpoint> {
  const { libDir, log, readyTimeoutMs = 90_000, jit = 'quick-start' } = options;
  const jvm = jvmOptions(jit);
  await requireJava();
  const home = await makeTempDir('leadscore-kafka-');
  let broker: ManagedProcess | undefined;
  const stop = async () => {
    await broker?.stop({ signal: 'SIGTERM', graceMs: 10_000 });
    await home.remove();
  };
  try {
    const port = await freeLoopbackPort();
    let controllerPort = await freeLoopbackPort();
    while (controllerPort === port) controllerPort = await freeLoopbackPort();
    const configFile = join(home.path, 'server.properties');
    await writeFile(configFile, serverProperties({ dataDir: join(home.path, 'data'), port, controllerPort }));
    await writeFile(join(home.path, 'log4j.properties'), log4jProperties(join(home.path, 'server.log')));
    const classpath = ['-cp', `${libDir}/*`];
    const logConfig = `-Dlog4j.configuration=file:${join(home.path, 'log4j.properties')}`;

    await runToCompletion({
      name: 'kafka storage format',
      command: 'java',
      args: [
        ...jvm,
        logConfig,
        ...classpath,
        'kafka.tools.StorageTool',
        'format',
        '-t',
        newClusterId(),
        '-c',
        configFile,
      ],
      cwd: home.path,
      logFile: join(home.path, 'format.log'),
    });

    const started = startProcess({
      name: 'kafka broker',
      command: 'java',
      args: [...jvm, logConfig, ...classpath, 'kafka.Kafka', configFile],
      cwd: home.path,
      logFile: join(home.path, 'stdout.log'),
    });
    broker = started;
    const brokers = [`127.0.0.1:${port}`];
    await waitForKafkaReady(brokers, {
      timeoutMs: readyTimeoutMs,
      gaveUp: () => {
        const status = started.exitStatus();
        return status && `the Kafka broker exited before it was ready (${describeExit(status)})`;
      },
      diagnostics: () => `${started.logTail()}\n${tailOfFile(join(home.path, 'server.log'))}`,
    });
    log(`Kafka ${brokers[0]}: broker from jars, pid ${started.pid}, data in ${home.path}`);
    return { brokers, origin: `broker from jars (pid ${started.pid})`, pid: started.pid, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

function serverProperties(options: { dataDir: string; port: number; controllerPort: number }): string {
  return asProperties({
    'process.roles': 'broker,controller',
    'node.id': '1',
    'controller.quorum.voters': `1@127.0.0.1:${options.controllerPort}`,
    listeners: `PLAINTEXT://127.0.0.1:${options.port},CONTROLLER://127.0.0.1:${options.controllerPort}`,
    'advertised.listeners': `PLAINTEXT://127.0.0.1:${options.port}`,
    'controller.listener.names': 'CONTROLLER',
    'inter.broker.listener.name': 'PLAINTEXT',
    'listener.security.protocol.map': 'CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT',
    'log.dirs': options.dataDir,
    ...TEST_BROKER_SETTINGS,
  });
}

/** Broker logs go to a file in the temp dir (quoted when startup fails), never to the terminal. */
function log4jProperties(logFile: string): string {
  return asProperties({
    'log4j.rootLogger': 'INFO, file',
    'log4j.appender.file': 'org.apache.log4j.FileAppender',
    'log4j.appender.file.File': logFile,
    'log4j.appender.file.layout': 'org.apache.log4j.PatternLayout',
    'log4j.appender.file.layout.ConversionPattern': '[%d] %p %m (%c)%n',
    'log4j.logger.kafka': 'INFO',
    'log4j.logger.org.apache.kafka': 'INFO',
    'log4j.logger.state.change.logger': 'WARN',
    'log4j.logger.kafka.request.logger': 'WARN',
  });
}
