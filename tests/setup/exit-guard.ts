import { rmSync } from 'node:fs';

// Last line of defence: if the runner exits without our teardown having run (an uncaught
// error, process.exit from elsewhere), kill what we started and remove our temp dirs so no
// broker or database outlives the test run. Only synchronous work is possible in 'exit'.
const livePids = new Set<number>();
const tempDirs = new Set<string>();
let installed = false;

function install(): void {
  if (installed) return;
  installed = true;
  process.on('exit', () => {
    for (const pid of livePids) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
    for (const dir of tempDirs) rmSync(dir, { recursive: true, force: true });
  });
}

export function guardPid(pid: number): void {
  install();
  livePids.add(pid);
}

export function releasePid(pid: number): void {
  livePids.delete(pid);
}

export function guardTempDir(dir: string): void {
  install();
  tempDirs.add(dir);
}

export function releaseTempDir(dir: string): void {
  tempDirs.delete(dir);
}
