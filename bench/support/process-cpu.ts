import { procStatFields } from '../../tests/support/proc-stat.js';

// Linux reports CPU time (/proc/<pid>/stat, /proc/stat) in clock ticks; USER_HZ is 100 on every
// mainstream kernel.
export const TICKS_PER_SECOND = 100;

/**
 * CPU seconds (user + system) a process has used so far, from /proc/<pid>/stat. Wall-clock
 * rates swing with whatever else the machine runs; CPU time per request barely does, so the
 * bench reports both.
 */
export function processCpuSeconds(pid: number): number {
  const fields = procStatFields(pid);
  const userTicks = Number(fields[11]);
  const systemTicks = Number(fields[12]);
  return (userTicks + systemTicks) / TICKS_PER_SECOND;
}
