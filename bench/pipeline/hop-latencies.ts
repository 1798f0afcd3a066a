import { LatencyRecorder, type LatencySummary } from './latency.js';

/** One point an event passes on its way, and when each event passed it. */
export interface Waypoint {
  readonly name: string;
  readonly reachedAt: ReadonlyMap<string, number>;
}

export interface HopLatency {
  readonly from: string;
  readonly to: string;
  readonly latency: LatencySummary;
}

/**
 * The time of each hop between consecutive waypoints, per event, for the events that reached
 * every waypoint (a hop's percentiles, not a difference of two totals' percentiles, which says
 * nothing about any one event).
 */
export function hopLatencies(waypoints: readonly Waypoint[]): HopLatency[] {
  const recorders = waypoints.slice(1).map(() => new LatencyRecorder());
  const [first] = waypoints;
  for (const eventId of first?.reachedAt.keys() ?? []) {
    const times = waypoints.map((waypoint) => waypoint.reachedAt.get(eventId));
    if (times.some((time) => time === undefined)) continue;
    for (let hop = 0; hop < recorders.length; hop++) recorders[hop]!.add(times[hop + 1]! - times[hop]!);
  }
  return recorders.map((recorder, hop) => ({
    from: waypoints[hop]!.name,
    to: waypoints[hop + 1]!.name,
    latency: recorder.summary(),
  }));
}
