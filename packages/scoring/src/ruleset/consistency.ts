import { z } from 'zod';
import type { Grade } from './ruleset.schema.js';

type Path = (string | number)[];
type Report = (path: Path, message: string) => void;

/** A field's schema, as far as the checks use it: to tell whether the field is valid. */
interface Reads<T> {
  safeParse(value: unknown): { success: true; data: T } | { success: false };
}
interface ObjectOf<Shape> {
  readonly shape: Shape;
}
interface ArrayOf<Shape> {
  readonly element: ObjectOf<Shape>;
}

/**
 * The fields the checks read, with the schemas of the ruleset (or document) being checked: a
 * document to draft and a stored version define them alike, each engagement rule's event aside.
 */
interface ConsistencyFields {
  readonly engagement: ArrayOf<{
    readonly id: Reads<string>;
    readonly alert: Reads<{ readonly minTemperature: string } | undefined>;
  }>;
  readonly fit: ArrayOf<{ readonly id: Reads<string> }>;
  readonly grades: ArrayOf<{ readonly grade: Reads<Grade>; readonly minFit: Reads<number> }>;
  readonly temperatures: ArrayOf<{
    readonly name: Reads<string>;
    readonly minTotal: Reads<number | undefined>;
  }>;
  readonly total: ObjectOf<{
    readonly floor: Reads<number | undefined>;
    readonly cap: Reads<number | undefined>;
  }>;
  readonly stages: ObjectOf<{
    readonly mql: ObjectOf<{ readonly minTotal: Reads<number> }>;
    readonly sql: ObjectOf<{ readonly minTotal: Reads<number> }>;
    readonly demotion: ObjectOf<{ readonly enabled: Reads<boolean>; readonly hysteresis: Reads<number> }>;
  }>;
}

/** An object schema whose fields the checks can read. */
type CheckableShape = z.ZodType & ObjectOf<ConsistencyFields>;

/**
 * The checks that span several fields, as a refinement of `shape`: what a schema needs to refuse
 * an inconsistent ruleset. It runs even when some fields are invalid (`when`), on the parts that
 * are valid; zod still skips it after an issue it treats as fatal (a fraction where a whole
 * number belongs), so a caller that must list every problem uses safeParseConsistent.
 */
export function withConsistencyChecks<S extends CheckableShape>(shape: S): S {
  return shape.superRefine(
    (ruleset: unknown, ctx) => {
      for (const { path, message } of inconsistencies(ruleset, shape.shape)) {
        ctx.addIssue({ code: 'custom', path, message });
      }
    },
    { when: () => true },
  );
}

/**
 * `shape.safeParse(json)` that also runs the checks between fields, whatever else is wrong: every
 * problem of the document in one error, field-level ones first. A check reads only the fields it
 * compares, and a field that is invalid is left out of it (its own issue says what is wrong), so
 * the checks on valid fields are never hidden by a problem elsewhere. `shape` is the fields alone
 * (RulesetShape, not RulesetSchema, which would report each inconsistency twice).
 */
export function safeParseConsistent<S extends CheckableShape>(
  shape: S,
  json: unknown,
): { success: true; data: z.output<S> } | { success: false; error: z.ZodError } {
  const result = shape.safeParse(json);
  const found = inconsistencies(result.success ? result.data : json, shape.shape);
  if (found.length === 0) return result;
  const issues: z.core.$ZodIssue[] = [
    ...(result.success ? [] : result.error.issues),
    ...found.map(({ path, message }) => ({ code: 'custom' as const, path, message, input: undefined })),
  ];
  return { success: false, error: new z.ZodError(issues) };
}

/**
 * The problems between fields of `ruleset`, each at the path a person would edit. `ruleset` may
 * be any value: each check reads the fields it compares with their own schemas and skips a
 * comparison whose fields are invalid.
 */
function inconsistencies(ruleset: unknown, fields: ConsistencyFields): { path: Path; message: string }[] {
  const found: { path: Path; message: string }[] = [];
  const report: Report = (path, message) => {
    found.push({ path, message });
  };
  checkUniqueRuleIds(ruleset, fields, report);
  checkGrades(ruleset, fields, report);
  checkTemperatures(ruleset, fields, report);
  checkAlerts(ruleset, fields, report);
  checkTotalAndStages(ruleset, fields, report);
  return found;
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** The field `key` of `parent` when it is an object (undefined otherwise), not read yet. */
const child = (parent: unknown, key: string): unknown => (isObject(parent) ? parent[key] : undefined);

/** The elements of the array at `key` of `parent`, each with its index; none if it is no array. */
function elements(parent: unknown, key: string): [number, unknown][] {
  const list = child(parent, key);
  return Array.isArray(list) ? list.map((element, i): [number, unknown] => [i, element]) : [];
}

/**
 * The field `key` of `parent` read by its schema, boxed (an optional field may be validly
 * undefined); undefined when `parent` is not an object or the field is invalid.
 */
function field<T>(parent: unknown, key: string, schema: Reads<T>): { value: T } | undefined {
  if (!isObject(parent)) return undefined;
  const result = schema.safeParse(parent[key]);
  return result.success ? { value: result.data } : undefined;
}

function checkUniqueRuleIds(ruleset: unknown, fields: ConsistencyFields, report: Report): void {
  const rules: [Path, string][] = [];
  for (const list of ['engagement', 'fit'] as const) {
    const idSchema = fields[list].element.shape.id;
    for (const [i, rule] of elements(ruleset, list)) {
      const id = field(rule, 'id', idSchema);
      if (id) rules.push([[list, i, 'id'], id.value]);
    }
  }
  const seen = new Set<string>();
  for (const [path, id] of rules) {
    if (seen.has(id)) report(path, `rule id "${id}" is used more than once`);
    seen.add(id);
  }
}

function checkGrades(ruleset: unknown, fields: ConsistencyFields, report: Report): void {
  const { grade: gradeSchema, minFit: minFitSchema } = fields.grades.element.shape;
  const bands = elements(ruleset, 'grades').map(([, band]) => ({
    grade: field(band, 'grade', gradeSchema)?.value,
    minFit: field(band, 'minFit', minFitSchema)?.value,
  }));
  bands.forEach((band, i) => {
    if (band.grade === 'F') report(['grades', i, 'grade'], 'F is the fallback grade below every band');
    const previous = bands[i - 1];
    if (!previous) return;
    if (band.grade !== undefined && previous.grade !== undefined && band.grade <= previous.grade) {
      report(['grades', i, 'grade'], `grades must be listed best first (${previous.grade} before it)`);
    }
    if (band.minFit !== undefined && previous.minFit !== undefined && band.minFit >= previous.minFit) {
      const above = previous.grade === undefined ? 'the band above' : `grade ${previous.grade}`;
      report(['grades', i, 'minFit'], `must be lower than ${above}'s ${previous.minFit}`);
    }
  });
}

function checkTemperatures(ruleset: unknown, fields: ConsistencyFields, report: Report): void {
  const { name: nameSchema, minTotal: minTotalSchema } = fields.temperatures.element.shape;
  const names = new Set<string>();
  const bands = elements(ruleset, 'temperatures').map(([, band]) => ({
    name: field(band, 'name', nameSchema)?.value,
    // Boxed: a band without a lower bound is valid, and told apart from an invalid one.
    minTotal: field(band, 'minTotal', minTotalSchema),
  }));
  bands.forEach((band, i) => {
    if (band.name !== undefined) {
      if (names.has(band.name)) report(['temperatures', i, 'name'], `"${band.name}" is used more than once`);
      names.add(band.name);
    }
    if (!band.minTotal) return;
    const minTotal = band.minTotal.value;
    if (i === 0) {
      if (minTotal !== undefined)
        report(['temperatures', 0, 'minTotal'], 'the first (coldest) band has no lower bound');
      return;
    }
    const previousMin = bands[i - 1]?.minTotal?.value;
    if (minTotal === undefined) {
      report(['temperatures', i, 'minTotal'], 'required for every band after the first');
    } else if (previousMin !== undefined && minTotal <= previousMin) {
      report(['temperatures', i, 'minTotal'], `must be higher than the previous band's ${previousMin}`);
    }
  });
}

function checkAlerts(ruleset: unknown, fields: ConsistencyFields, report: Report): void {
  const nameSchema = fields.temperatures.element.shape.name;
  const bands = elements(ruleset, 'temperatures');
  const names = bands.map(([, band]) => field(band, 'name', nameSchema)?.value);
  // An alert can be told to name no temperature only when every temperature's name is known.
  if (bands.length === 0 || names.some((name) => name === undefined)) return;
  const known = new Set(names as string[]);
  const alertSchema = fields.engagement.element.shape.alert;
  for (const [i, rule] of elements(ruleset, 'engagement')) {
    const alert = field(rule, 'alert', alertSchema)?.value;
    if (alert && !known.has(alert.minTemperature)) {
      report(
        ['engagement', i, 'alert', 'minTemperature'],
        `"${alert.minTemperature}" is not one of the temperatures (${[...known].join(', ')})`,
      );
    }
  }
}

function checkTotalAndStages(ruleset: unknown, fields: ConsistencyFields, report: Report): void {
  const total = child(ruleset, 'total');
  const floor = field(total, 'floor', fields.total.shape.floor)?.value;
  const cap = field(total, 'cap', fields.total.shape.cap)?.value;
  if (floor !== undefined && cap !== undefined && floor >= cap) {
    report(['total', 'floor'], `must be lower than the cap ${cap}`);
  }
  const stages = child(ruleset, 'stages');
  const { mql: mqlFields, sql: sqlFields, demotion: demotionFields } = fields.stages.shape;
  const mql = field(child(stages, 'mql'), 'minTotal', mqlFields.shape.minTotal)?.value;
  const sql = field(child(stages, 'sql'), 'minTotal', sqlFields.shape.minTotal)?.value;
  if (mql !== undefined && sql !== undefined && sql < mql) {
    report(['stages', 'sql', 'minTotal'], `must be at least the mql threshold ${mql}`);
  }
  // A threshold outside (floor, cap] could never be crossed in one of the two directions.
  for (const [stage, threshold] of [
    ['mql', mql],
    ['sql', sql],
  ] as const) {
    if (threshold === undefined) continue;
    if (floor !== undefined && threshold <= floor) {
      report(['stages', stage, 'minTotal'], `must be above the total floor ${floor}`);
    }
    if (cap !== undefined && threshold > cap) {
      report(['stages', stage, 'minTotal'], `must not exceed the total cap ${cap}`);
    }
  }
  const demotion = child(stages, 'demotion');
  const enabled = field(demotion, 'enabled', demotionFields.shape.enabled)?.value;
  const hysteresis = field(demotion, 'hysteresis', demotionFields.shape.hysteresis)?.value;
  if (enabled === true && hysteresis !== undefined && hysteresis <= 0) {
    report(['stages', 'demotion', 'hysteresis'], 'must be above 0 when demotion is enabled');
  }
}
