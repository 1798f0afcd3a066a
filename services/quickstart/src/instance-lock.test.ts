import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { acquireInstanceLock, InstanceLockedError } from './instance-lock.js';

const folders: string[] = [];
const lockPath = () => {
  const folder = mkdtempSync(join(tmpdir(), 'lslock-'));
  folders.push(folder);
  return join(folder, 'quickstart.lock');
};

afterEach(() => {
  for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true });
});

describe('acquireInstanceLock', () => {
  it('writes our pid and removes the file on release', () => {
    const path = lockPath();
    const lock = acquireInstanceLock(path);
    expect(readFileSync(path, 'utf8')).toBe(String(process.pid));
    lock.release();
    expect(existsSync(path)).toBe(false);
  });

  it('refuses while another live process holds the lock', () => {
    const path = lockPath();
    // The parent of this test process is alive for the whole test.
    writeFileSync(path, String(process.ppid));
    expect(() => acquireInstanceLock(path)).toThrow(InstanceLockedError);
    expect(readFileSync(path, 'utf8')).toBe(String(process.ppid));
  });

  it('takes over a lock left by a process that is gone', () => {
    const path = lockPath();
    writeFileSync(path, '2147483646');
    const lock = acquireInstanceLock(path);
    expect(readFileSync(path, 'utf8')).toBe(String(process.pid));
    lock.release();
  });

  it('does not remove a lock another process took after ours was released', () => {
    const path = lockPath();
    const lock = acquireInstanceLock(path);
    writeFileSync(path, String(process.ppid));
    lock.release();
    expect(readFileSync(path, 'utf8')).toBe(String(process.ppid));
  });
});
