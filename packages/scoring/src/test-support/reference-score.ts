import { compareEvents, type ScoringEvent } from '../event.js';
import { readPath } from '../ruleset/compile-condition.js';
import type { CompiledRuleset } from '../ruleset/compile-ruleset.js';

/**
 * The scoring model written as the design states it, with no accumulators: every counted event
 * contributes points * 2^(-(at - occurredAt) / halfLife). Tests compare the engine against it.
 * Returns the unclamped engagement sum and the magnitude of its terms (for relative tolerances).
 */
export function referenceEngagement(
  events: readonly ScoringEvent[],
  ruleset: CompiledRuleset,
  at: number,
): { engagement: number; magnitude: number; fitTraits: Record<string, unknown> } {
  const seen = new Set<string>();
  const windowCounts = new Map<string, number>();
  const fitTraits: Record<string, unknown> = {};
  let engagement = 0;
  let magnitude = 0;
  const ordered = [...events].filter((e) => e.occurredAt <= at).sort(compareEvents);
  for (const event of ordered) {
    if (seen.has(event.id)) continue;
    seen.add(event.id);
    for (const rule of ruleset.rulesByEvent.get(event.type) ?? []) {
      if (!rule.matches(event.properties)) continue;
      if (rule.cap) {
        const key = `${rule.id}/${rule.cap.windowOf(event.occurredAt)}`;
        const count = windowCounts.get(key) ?? 0;
        if (count >= rule.cap.count) continue;
        windowCounts.set(key, count + 1);
      }
      const contribution = rule.points * 2 ** (-(at - event.occurredAt) / rule.halfLifeMs);
      engagement += contribution;
      magnitude += Math.abs(contribution);
    }
    for (const { path, segments } of ruleset.traitPaths) {
      const value = readPath(event.traits, segments);
      if (value !== undefined && (value === null || typeof value !== 'object')) fitTraits[path] = value;
    }
  }
  return { engagement, magnitude, fitTraits };
}

/** |a - b| within 1e-9 relative to the size of the terms (absolute 1e-9 near zero). */
export function closeTo(a: number, b: number, magnitude = Math.max(Math.abs(a), Math.abs(b))): boolean {
  return Math.abs(a - b) <= 1e-9 * Math.max(1, magnitude);
}
