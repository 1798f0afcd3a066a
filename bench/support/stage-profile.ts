import { writeFile } from 'node:fs/promises';
import { Session } from 'node:inspector/promises';

/**
 * A V8 CPU profile of this process over one stage only (not the setup around it), written to
 * `path` when stopped: open it in Chrome DevTools or read its top self times.
 */
export async function startStageProfile(path: string): Promise<() => Promise<void>> {
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.setSamplingInterval', { interval: 500 });
  await session.post('Profiler.start');
  return async () => {
    const { profile } = await session.post('Profiler.stop');
    await writeFile(path, JSON.stringify(profile));
    session.disconnect();
  };
}

/**
 * A sampled allocation profile of this process over one stage, written to `path` (a .heapprofile
 * for Chrome DevTools) when stopped. It counts every sampled allocation, also those the garbage
 * collector freed since: what makes the collector busy, not what stays alive.
 */
export async function startStageAllocationProfile(path: string): Promise<() => Promise<void>> {
  const session = new Session();
  session.connect();
  await session.post('HeapProfiler.enable');
  await session.post('HeapProfiler.startSampling', {
    samplingInterval: 16_384,
    includeObjectsCollectedByMajorGC: true,
    includeObjectsCollectedByMinorGC: true,
  });
  return async () => {
    const { profile } = await session.post('HeapProfiler.stopSampling');
    await writeFile(path, JSON.stringify(profile));
    session.disconnect();
  };
}
