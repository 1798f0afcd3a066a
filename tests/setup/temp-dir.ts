import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { guardTempDir, releaseTempDir } from './exit-guard.js';

export interface TempDir {
  readonly path: string;
  remove(): Promise<void>;
}

/** A fresh directory under the OS temp dir, removed by `remove()` or, failing that, when the process exits. */
export async function makeTempDir(prefix: string): Promise<TempDir> {
  const path = await mkdtemp(join(tmpdir(), prefix));
  guardTempDir(path);
  return {
    path,
    remove: async () => {
      await rm(path, { recursive: true, force: true });
      releaseTempDir(path);
    },
  };
}
