import { procStatFields } from './proc-stat.js';

/**
 * Whether a process is running: it exists and is not a zombie. A killed child whose parent
 * exited first stays a zombie until init reaps it, and `process.kill(pid, 0)` still finds it.
 */
export function isAlive(pid: number): boolean {
  try {
    return procStatFields(pid)[0] !== 'Z';
  } catch {
    return false;
  }
}
