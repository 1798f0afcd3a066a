import { existsSync } from 'node:fs';
import { mkdir, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  defaultCacheRoot,
  ensureKafkaJars,
  isJarCacheComplete,
  JAR_CACHE_MARKER,
  type JarDownloader,
  KAFKA_VERSION,
  kafkaJarsDir,
  SCALA_VERSION,
} from '../setup/kafka-jars.js';
import { makeTempDir, type TempDir } from '../setup/temp-dir.js';

const silent = () => {};
const brokerJar = `kafka_${SCALA_VERSION}-${KAFKA_VERSION}.jar`;

/** Stands in for Maven: counts its calls and writes the jars it is told to. */
function recordingDownloader(jars = [brokerJar, 'kafka-clients-3.9.1.jar'], delayMs = 0) {
  const calls: string[] = [];
  const download: JarDownloader = async (libDir) => {
    calls.push(libDir);
    await new Promise((resolve) => setTimeout(resolve, delayMs));
    for (const jar of jars) await writeFile(join(libDir, jar), 'jar');
  };
  return { calls, download };
}

let cache: TempDir | undefined;
async function freshCacheRoot(): Promise<string> {
  cache = await makeTempDir('leadscore-jar-cache-test-');
  return cache.path;
}
afterEach(async () => {
  await cache?.remove();
});

describe('the Kafka jar cache', () => {
  it('downloads on the first run and marks the folder complete', async () => {
    const cacheRoot = await freshCacheRoot();
    const maven = recordingDownloader();
    const jars = await ensureKafkaJars({ cacheRoot, log: silent, download: maven.download });
    expect(maven.calls).toHaveLength(1);
    expect(jars).toEqual({ libDir: join(kafkaJarsDir(cacheRoot), 'lib'), downloaded: true });
    expect(isJarCacheComplete(kafkaJarsDir(cacheRoot))).toBe(true);
    expect((await readdir(jars.libDir)).sort()).toEqual([brokerJar, 'kafka-clients-3.9.1.jar'].sort());
  });

  it('does not run the downloader when the marker is present', async () => {
    const cacheRoot = await freshCacheRoot();
    await ensureKafkaJars({ cacheRoot, log: silent, download: recordingDownloader().download });
    const second = recordingDownloader();
    const jars = await ensureKafkaJars({ cacheRoot, log: silent, download: second.download });
    expect(second.calls).toHaveLength(0);
    expect(jars.downloaded).toBe(false);
  });

  it('downloads again into a folder that has jars but no marker', async () => {
    const cacheRoot = await freshCacheRoot();
    const leftover = join(kafkaJarsDir(cacheRoot), 'lib');
    await mkdir(leftover, { recursive: true });
    await writeFile(join(leftover, 'half-written.jar'), '');
    expect(isJarCacheComplete(kafkaJarsDir(cacheRoot))).toBe(false);

    const maven = recordingDownloader();
    const jars = await ensureKafkaJars({ cacheRoot, log: silent, download: maven.download });
    expect(maven.calls).toHaveLength(1);
    expect(await readdir(jars.libDir)).not.toContain('half-written.jar');
  });

  it('leaves one complete cache and no staging folders when runs race', async () => {
    const cacheRoot = await freshCacheRoot();
    const runs = Array.from({ length: 4 }, () => recordingDownloader(undefined, 50));
    const results = await Promise.all(
      runs.map((run) => ensureKafkaJars({ cacheRoot, log: silent, download: run.download })),
    );
    expect(new Set(results.map((r) => r.libDir)).size).toBe(1);
    expect(isJarCacheComplete(kafkaJarsDir(cacheRoot))).toBe(true);
    expect(await readdir(cacheRoot)).toEqual([`kafka-${KAFKA_VERSION}`]);
  });

  it('keeps no cache when the download fails, or lacks the broker jar', async () => {
    const cacheRoot = await freshCacheRoot();
    const failing: JarDownloader = async () => {
      throw new Error('network down');
    };
    await expect(ensureKafkaJars({ cacheRoot, log: silent, download: failing })).rejects.toThrow(
      'network down',
    );
    const incomplete = recordingDownloader(['kafka-clients-3.9.1.jar']);
    await expect(
      ensureKafkaJars({ cacheRoot, log: silent, download: incomplete.download }),
    ).rejects.toMatchObject({
      code: 'KAFKA_JARS_INCOMPLETE',
    });
    expect(await readdir(cacheRoot)).toEqual([]);
    expect(existsSync(join(kafkaJarsDir(cacheRoot), JAR_CACHE_MARKER))).toBe(false);
  });

  it('lives outside the repository: LEADSCORE_CACHE_DIR, else XDG_CACHE_HOME, else ~/.cache', () => {
    expect(defaultCacheRoot({ LEADSCORE_CACHE_DIR: '/c', XDG_CACHE_HOME: '/x' })).toBe('/c');
    expect(defaultCacheRoot({ XDG_CACHE_HOME: '/x' })).toBe(join('/x', 'leadscore'));
    expect(defaultCacheRoot({})).toMatch(/[/\\]\.cache[/\\]leadscore$/);
  });
});
