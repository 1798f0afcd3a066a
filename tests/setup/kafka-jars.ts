import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, rename, rm, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { TestInfraError } from './errors.js';
import { requireMaven } from './java.js';
import { runToCompletion } from './processes.js';
import type { Log } from './resources.js';

export const KAFKA_VERSION = '3.9.1';
export const SCALA_VERSION = '2.13';

/** Written last, so a folder holding it has every jar; a folder without it is never used. */
export const JAR_CACHE_MARKER = 'COMPLETE';

const brokerArtifacts = [
  { groupId: 'org.apache.kafka', artifactId: `kafka_${SCALA_VERSION}`, version: KAFKA_VERSION },
  // Kafka 3.9 logs through SLF4J 1.x; without a binding the broker log would be empty.
  { groupId: 'org.slf4j', artifactId: 'slf4j-reload4j', version: '1.7.36' },
];

/** Pinned so the build does not ask a remote repository which plugin version is newest. */
const DEPENDENCY_PLUGIN_VERSION = '3.8.1';

/** Receives an empty folder and fills it with the broker's jars. */
export type JarDownloader = (libDir: string, workDir: string) => Promise<void>;

/** `$LEADSCORE_CACHE_DIR`, else `$XDG_CACHE_HOME/leadscore`, else `~/.cache/leadscore`: outside git on purpose. */
export function defaultCacheRoot(env: NodeJS.ProcessEnv = process.env): string {
  if (env.LEADSCORE_CACHE_DIR) return env.LEADSCORE_CACHE_DIR;
  return join(env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'leadscore');
}

export function kafkaJarsDir(cacheRoot: string): string {
  return join(cacheRoot, `kafka-${KAFKA_VERSION}`);
}

/** The cache decision: only a folder whose marker exists counts; anything else is fetched again. */
export function isJarCacheComplete(dir: string): boolean {
  return existsSync(join(dir, JAR_CACHE_MARKER));
}

export interface KafkaJars {
  /** Folder of jars; the classpath is `${libDir}/*`. */
  readonly libDir: string;
  readonly downloaded: boolean;
}

/**
 * Returns the cached broker jars, fetching them first when the cache is not complete.
 * Fetching happens in a staging folder beside the cache that is renamed into place only when
 * complete, so an interrupted or concurrent run never leaves (or sees) a half-filled cache.
 */
export async function ensureKafkaJars(options: {
  cacheRoot: string;
  log: Log;
  download?: JarDownloader;
}): Promise<KafkaJars> {
  const { cacheRoot, log, download = downloadWithMaven } = options;
  const finalDir = kafkaJarsDir(cacheRoot);
  if (isJarCacheComplete(finalDir)) return { libDir: join(finalDir, 'lib'), downloaded: false };

  await mkdir(cacheRoot, { recursive: true });
  const staging = await mkdtemp(join(cacheRoot, `.kafka-${KAFKA_VERSION}-staging-`));
  try {
    log(`fetching Kafka ${KAFKA_VERSION} broker jars into ${finalDir} (first run only)`);
    const libDir = join(staging, 'lib');
    await mkdir(libDir);
    await download(libDir, staging);
    const jars = (await readdir(libDir)).filter((name) => name.endsWith('.jar'));
    if (!jars.includes(`kafka_${SCALA_VERSION}-${KAFKA_VERSION}.jar`)) {
      throw new TestInfraError(
        'KAFKA_JARS_INCOMPLETE',
        `the Kafka broker jar is missing after the download`,
        {
          libDir,
          jars,
        },
      );
    }
    await writeFile(
      join(staging, JAR_CACHE_MARKER),
      `${JSON.stringify({ brokerArtifacts, jars }, null, 2)}\n`,
    );
    await moveIntoPlace(staging, finalDir);
    return { libDir: join(finalDir, 'lib'), downloaded: true };
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
}

async function moveIntoPlace(staging: string, finalDir: string): Promise<void> {
  try {
    await rename(staging, finalDir);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== 'ENOTEMPTY' && code !== 'EEXIST') throw error;
    // Another run finished first: its cache is as good as ours.
    if (isJarCacheComplete(finalDir)) return;
    // A folder without marker was left by something else (a manual copy?): replace it.
    await rm(finalDir, { recursive: true, force: true });
    await rename(staging, finalDir);
  }
}

/** Fetches the jars with `mvn dependency:copy-dependencies` (reusing ~/.m2 when warm). */
export const downloadWithMaven: JarDownloader = async (libDir, workDir) => {
  await requireMaven();
  await writeFile(join(workDir, 'pom.xml'), brokerPom());
  await runToCompletion({
    name: 'mvn dependency:copy-dependencies (Kafka broker jars)',
    command: 'mvn',
    args: [
      '-B',
      '-q',
      '-f',
      join(workDir, 'pom.xml'),
      `org.apache.maven.plugins:maven-dependency-plugin:${DEPENDENCY_PLUGIN_VERSION}:copy-dependencies`,
      '-DincludeScope=runtime',
      `-DoutputDirectory=${libDir}`,
    ],
    cwd: workDir,
    logFile: join(workDir, 'mvn.log'),
  });
};

function brokerPom(): string {
  const dependencies = brokerArtifacts
    .map(
      (a) =>
        `    <dependency><groupId>${a.groupId}</groupId><artifactId>${a.artifactId}</artifactId><version>${a.version}</version></dependency>`,
    )
    .join('\n');
  return `<?xml version="1.0" encoding="UTF-8"?>
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>leadscore.test</groupId>
  <artifactId>kafka-broker-jars</artifactId>
  <version>1</version>
  <packaging>pom</packaging>
  <dependencies>
${dependencies}
  </dependencies>
</project>
`;
}
