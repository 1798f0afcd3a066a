import { z } from 'zod';
import { ConditionSchema } from './condition.schema.js';
import { withConsistencyChecks } from './consistency.js';

// Grades are letters, best first. F is the fallback below the lowest band, so it is never a band.
export const GradeSchema = z.enum(['A', 'B', 'C', 'D', 'E', 'F']);
export type Grade = z.infer<typeof GradeSchema>;

const RuleIdSchema = z
  .string()
  .regex(/^[a-z0-9][a-z0-9-]*$/, 'must be lower-case letters, digits and dashes, e.g. "email-opened"');

// Up to ten years: longer half-lives are indistinguishable from "never decays" in practice.
const HalfLifeDaysSchema = z.number().positive().max(3650);
const PointsSchema = z.number().min(-1000).max(1000);

export const WindowUnitSchema = z.enum(['hour', 'day', 'week']);
export type WindowUnit = z.infer<typeof WindowUnitSchema>;

export const EngagementRuleSchema = z.strictObject({
  id: RuleIdSchema,
  event: z.string().min(1),
  when: z.array(ConditionSchema).default([]),
  points: PointsSchema,
  halfLifeDays: HalfLifeDaysSchema.optional(),
  // At most `count` matching events score per calendar window (UTC; weeks start on Monday).
  cap: z.strictObject({ count: z.number().int().positive(), per: WindowUnitSchema }).optional(),
  twoWay: z.boolean().default(false),
  alert: z.strictObject({ minTemperature: z.string().min(1) }).optional(),
  description: z.string().optional(),
});
export type EngagementRule = z.infer<typeof EngagementRuleSchema>;

export const FitRuleSchema = z.strictObject({
  id: RuleIdSchema,
  when: z.array(ConditionSchema).min(1),
  points: PointsSchema,
  description: z.string().optional(),
});
export type FitRule = z.infer<typeof FitRuleSchema>;

export const GradeBandSchema = z.strictObject({ grade: GradeSchema, minFit: z.number() });
export const TemperatureBandSchema = z.strictObject({
  name: z.string().regex(/^[a-z][a-z0-9-]*$/, 'must be a lower-case name such as "warm"'),
  minTotal: z.number().optional(),
});

const StageRequirementSchema = z.strictObject({
  minTotal: z.number(),
  minGrade: GradeSchema.optional(),
});

export const StagePolicySchema = z.strictObject({
  mql: StageRequirementSchema,
  sql: StageRequirementSchema,
  prospect: z.strictObject({
    requiredSignal: z.literal('two-way'),
    minStage: z.enum(['mql', 'sql']),
  }),
  demotion: z.strictObject({
    enabled: z.boolean(),
    // Demote only once the total is this far below the threshold that was crossed upwards.
    hysteresis: z.number().min(0),
  }),
});
export type StagePolicy = z.infer<typeof StagePolicySchema>;

export const RulesetShape = z.strictObject({
  id: RuleIdSchema,
  version: z.number().int().positive(),
  description: z.string().optional(),
  decay: z.strictObject({ halfLifeDays: HalfLifeDaysSchema }),
  total: z.strictObject({ floor: z.number().optional(), cap: z.number().optional() }),
  engagement: z.array(EngagementRuleSchema).min(1),
  fit: z.array(FitRuleSchema),
  grades: z.array(GradeBandSchema).min(1),
  temperatures: z.array(TemperatureBandSchema).min(1),
  stages: StagePolicySchema,
});
export type RulesetShape = z.infer<typeof RulesetShape>;

// A stored version: fields and the checks between them. parseRuleset lists every problem at once.
export const RulesetSchema = withConsistencyChecks(RulesetShape);
export type Ruleset = z.infer<typeof RulesetSchema>;
export type RulesetInput = z.input<typeof RulesetSchema>;
