import { z } from 'zod';

// A dotted path into an event's properties (engagement rules) or a lead's traits (fit rules),
// e.g. `url`, `form.kind`. Kept to identifier-like segments so a path is never ambiguous.
export const FieldPathSchema = z
  .string()
  .regex(/^[A-Za-z_$][\w$-]*(\.[A-Za-z_$][\w$-]*)*$/, 'must be a dotted path such as "url" or "form.kind"');

const ScalarSchema = z.union([z.string(), z.number(), z.boolean()]);
const OneOrMoreStrings = z.union([z.string().min(1), z.array(z.string().min(1)).min(1)]);

const EqualityCondition = z.object({
  path: FieldPathSchema,
  op: z.enum(['equals', 'notEquals']),
  value: z.union([ScalarSchema, z.null()]),
});

const MembershipCondition = z.object({
  path: FieldPathSchema,
  op: z.enum(['in', 'notIn']),
  values: z.array(ScalarSchema).min(1),
});

const PresenceCondition = z.object({
  path: FieldPathSchema,
  op: z.enum(['exists', 'missing']),
});

const NumericCondition = z.object({
  path: FieldPathSchema,
  op: z.enum(['gt', 'gte', 'lt', 'lte']),
  value: z.number(),
});

// prefix and glob compare case-sensitively (URL paths are); contains ignores case (job titles are
// typed by people). A list of values matches when any of them does.
const TextCondition = z.object({
  path: FieldPathSchema,
  op: z.enum(['prefix', 'glob', 'contains']),
  value: OneOrMoreStrings,
});

export const ConditionSchema = z.discriminatedUnion('op', [
  EqualityCondition,
  MembershipCondition,
  PresenceCondition,
  NumericCondition,
  TextCondition,
]);

export type Condition = z.infer<typeof ConditionSchema>;
