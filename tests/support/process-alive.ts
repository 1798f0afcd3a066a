import { readFileSync } from 'node:fs';

/**
 * Whether a process is running: it exists and is not a zombie. A killed child whose parent
 * exited first stays a zombie until init reaps it, and `process.kill(pid, 0)` still finds it.
 */
export function isAlive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The state is the field after the command name, which may itself hold spaces or parentheses.
    return stat[stat.lastIndexOf(')') + 2] !== 'Z';
  } catch {
    return false;
  }
}
