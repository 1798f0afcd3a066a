import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parseJavaMajorVersion } from '../setup/java.js';
import { runToCompletion, startProcess } from '../setup/processes.js';
import { Teardown } from '../setup/teardown.js';
import { makeTempDir, type TempDir } from '../setup/temp-dir.js';
import { isAlive } from '../support/process-alive.js';

let dir: TempDir | undefined;
afterEach(async () => {
  await dir?.remove();
});

describe('processes started by the test setup', () => {
  it('are stopped by pid', async () => {
    dir = await makeTempDir('leadscore-process-test-');
    const child = startProcess({
      name: 'sleeper',
      command: process.execPath,
      args: ['-e', 'setInterval(() => {}, 1000)'],
      logFile: join(dir.path, 'sleeper.log'),
    });
    expect(isAlive(child.pid)).toBe(true);
    await child.stop();
    expect(child.exitStatus()).toEqual({ code: null, signal: 'SIGTERM' });
    expect(isAlive(child.pid)).toBe(false);
  });

  it('are killed when they ignore the polite signal', async () => {
    dir = await makeTempDir('leadscore-process-test-');
    const child = startProcess({
      name: 'stubborn',
      command: process.execPath,
      args: ['-e', "process.on('SIGTERM', () => {}); console.log('ready'); setInterval(() => {}, 1000)"],
      logFile: join(dir.path, 'stubborn.log'),
    });
    // Wait until the SIGTERM handler is installed, or the signal would end it the ordinary way.
    await expect.poll(() => child.logTail(), { timeout: 5_000 }).toContain('ready');
    await child.stop({ graceMs: 200 });
    expect(child.exitStatus()?.signal).toBe('SIGKILL');
  });

  it('report a failed command with the end of its output', async () => {
    dir = await makeTempDir('leadscore-process-test-');
    const failing = runToCompletion({
      name: 'failing step',
      command: process.execPath,
      args: ['-e', "console.error('the reason it failed'); process.exit(3)"],
      logFile: join(dir.path, 'failing.log'),
    });
    await expect(failing).rejects.toMatchObject({ code: 'COMMAND_FAILED' });
    await expect(failing).rejects.toThrow(/exit code 3[\s\S]*the reason it failed/);
  });

  it('remove their temp dir', async () => {
    const temp = await makeTempDir('leadscore-process-test-');
    await temp.remove();
    expect(existsSync(temp.path)).toBe(false);
  });
});

describe('Teardown', () => {
  it('undoes in reverse order, once, and keeps going past a failing step', async () => {
    const order: string[] = [];
    const teardown = new Teardown(() => {});
    teardown.add('kafka', async () => {
      order.push('kafka');
    });
    teardown.add('broken', async () => {
      throw new Error('cannot stop');
    });
    teardown.add('postgres', async () => {
      order.push('postgres');
    });
    await expect(teardown.run()).rejects.toThrow('test infrastructure teardown failed');
    await expect(teardown.run()).rejects.toThrow();
    expect(order).toEqual(['postgres', 'kafka']);
  });
});

describe('parseJavaMajorVersion', () => {
  it.each([
    ['openjdk version "17.0.15" 2025-04-15', 17],
    ['openjdk version "21" 2023-09-19', 21],
    ['java version "1.8.0_292"', 8],
    ['openjdk version "11.0.2" 2019-01-15', 11],
    ['no java here', undefined],
  ])('%s -> %s', (output, major) => {
    expect(parseJavaMajorVersion(output)).toBe(major);
  });
});
