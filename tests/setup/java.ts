import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { TestInfraError } from './errors.js';

const execFileAsync = promisify(execFile);

/** Kafka 3.9 brokers need Java 17 here (11 is deprecated for the broker). */
export const MIN_JAVA_MAJOR = 17;

const noJavaHint =
  'The Kafka test broker runs from the Apache Kafka jars and needs Java 17+ and Maven ' +
  '(e.g. `apt-get install openjdk-17-jre-headless maven`), or a Docker engine, or KAFKA_BROKERS pointing at a broker.';

/**
 * The major version in `java -version` output: `openjdk version "17.0.15"` -> 17,
 * `java version "1.8.0_292"` -> 8 (the old 1.x scheme), `openjdk version "21" 2023-09-19` -> 21.
 */
export function parseJavaMajorVersion(versionOutput: string): number | undefined {
  const match = /version "(\d+)(?:\.(\d+))?/.exec(versionOutput);
  if (!match?.[1]) return undefined;
  const first = Number(match[1]);
  return first === 1 && match[2] ? Number(match[2]) : first;
}

export async function requireJava(): Promise<void> {
  let output: string;
  try {
    // `java -version` writes to stderr.
    const { stdout, stderr } = await execFileAsync('java', ['-version']);
    output = `${stderr}${stdout}`;
  } catch (error) {
    throw new TestInfraError('JAVA_MISSING', `java was not found on PATH. ${noJavaHint}`, {
      cause: (error as Error).message,
    });
  }
  const major = parseJavaMajorVersion(output);
  if (major === undefined || major < MIN_JAVA_MAJOR) {
    throw new TestInfraError(
      'JAVA_TOO_OLD',
      `java on PATH is version ${major ?? 'unknown'}, Java ${MIN_JAVA_MAJOR}+ is needed. ${noJavaHint}`,
      { versionOutput: output.trim() },
    );
  }
}

export async function requireMaven(): Promise<void> {
  try {
    await execFileAsync('mvn', ['-v']);
  } catch (error) {
    throw new TestInfraError(
      'MAVEN_MISSING',
      `mvn was not found on PATH (needed once, to fetch the Kafka jars). ${noJavaHint}`,
      {
        cause: (error as Error).message,
      },
    );
  }
}
