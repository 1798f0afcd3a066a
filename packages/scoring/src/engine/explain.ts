import { z } from 'zod';
import type { CompiledRuleset } from '../ruleset/compile-ruleset.js';
import { GradeSchema } from '../ruleset/ruleset.schema.js';
import { decayed } from './decay.js';
import type { LeadState } from './lead-state.js';
import { matchedFitRules, scoreAt } from './score-view.js';

export const ExplanationSchema = z.object({
  ruleset: z.string(),
  at: z.number().int(),
  engagement: z.object({
    total: z.number(),
    rules: z.array(
      z.object({
        ruleId: z.string(),
        counted: z.number().int(),
        /** Matched but over the rule's cap: scored nothing. */
        dropped: z.number().int(),
        rawPoints: z.number(),
        decayedPoints: z.number(),
      }),
    ),
  }),
  fit: z.object({
    total: z.number(),
    grade: GradeSchema,
    rules: z.array(z.object({ ruleId: z.string(), points: z.number() })),
  }),
  /** What the total's floor or cap added (negative when capped); 0 when neither applies. */
  clampAdjustment: z.number(),
  total: z.number(),
  temperature: z.string(),
});
export type Explanation = z.infer<typeof ExplanationSchema>;

/**
 * Why the score at `at` is what it is. The engagement parts sum to engagement.total (to rounding),
 * and engagement.total + fit.total + clampAdjustment is the total. Rules that never matched are left out.
 */
export function explain(state: LeadState, at: number, ruleset: CompiledRuleset): Explanation {
  const view = scoreAt(state, at, ruleset);
  const engagementRules = ruleset.engagement.flatMap((rule) => {
    const tally = state.rules[rule.index];
    if (!tally) return [];
    const [counted, dropped, value, ref] = tally;
    return [
      {
        ruleId: rule.id,
        counted,
        dropped,
        rawPoints: counted * rule.points,
        decayedPoints: decayed(value, ref, at, rule.halfLifeMs),
      },
    ];
  });
  return {
    ruleset: ruleset.key,
    at,
    engagement: { total: view.engagement, rules: engagementRules },
    fit: {
      total: view.fit,
      grade: view.grade,
      rules: matchedFitRules(state, ruleset).map((rule) => ({ ruleId: rule.id, points: rule.points })),
    },
    clampAdjustment: view.total - (view.engagement + view.fit),
    total: view.total,
    temperature: view.temperature,
  };
}
