import { readFileSync } from 'node:fs';

/**
 * The fields of /proc/<pid>/stat after the command name, which may itself hold spaces or
 * parentheses: [0] is the state (R, S, Z, ...), [11] and [12] the user and system CPU ticks.
 * Throws when there is no such process.
 */
export function procStatFields(pid: number): string[] {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
}
