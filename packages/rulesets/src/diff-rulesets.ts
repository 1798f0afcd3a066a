import type { Ruleset } from '@leadscore/scoring';

export type RuleSection = 'engagement' | 'fit';

/** One value that differs, at its path inside the rule or the ruleset ("cap.count", "stages.mql.minTotal"). */
export interface FieldChange {
  readonly path: string;
  /** undefined: the field is absent on that side. */
  readonly before: unknown;
  readonly after: unknown;
}

export interface RuleRef {
  readonly section: RuleSection;
  readonly id: string;
}

export interface ChangedRule extends RuleRef {
  readonly changes: readonly FieldChange[];
}

export interface RulesetDiff {
  /** Rules are matched by id within their section. */
  readonly added: readonly RuleRef[];
  readonly removed: readonly RuleRef[];
  readonly changed: readonly ChangedRule[];
  /** Everything outside the rules that differs: decay, total, grades, temperatures, stages, id. */
  readonly settings: readonly FieldChange[];
}

/** What changes from `before` to `after` (pure). The version number itself is not a change. */
export function diffRulesets(before: Ruleset, after: Ruleset): RulesetDiff {
  const added: RuleRef[] = [];
  const removed: RuleRef[] = [];
  const changed: ChangedRule[] = [];
  for (const section of ['engagement', 'fit'] as const) {
    const old = new Map<string, unknown>(before[section].map((rule) => [rule.id, rule]));
    const next = new Map<string, unknown>(after[section].map((rule) => [rule.id, rule]));
    for (const id of next.keys()) if (!old.has(id)) added.push({ section, id });
    for (const [id, rule] of old) {
      if (!next.has(id)) {
        removed.push({ section, id });
        continue;
      }
      const changes = diffValues(rule, next.get(id), '');
      if (changes.length > 0) changed.push({ section, id, changes });
    }
  }
  const { engagement: _e1, fit: _f1, version: _v1, ...beforeSettings } = before;
  const { engagement: _e2, fit: _f2, version: _v2, ...afterSettings } = after;
  return { added, removed, changed, settings: diffValues(beforeSettings, afterSettings, '') };
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  value !== null && typeof value === 'object' && !Array.isArray(value);

const join = (path: string, key: string | number): string =>
  typeof key === 'number' ? `${path}[${key}]` : path === '' ? key : `${path}.${key}`;

/** Field by field through objects; arrays of different length or scalars are compared whole. */
function diffValues(before: unknown, after: unknown, path: string): FieldChange[] {
  if (isRecord(before) && isRecord(after)) {
    const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])];
    return keys.flatMap((key) => diffValues(before[key], after[key], join(path, key)));
  }
  if (Array.isArray(before) && Array.isArray(after) && before.length === after.length) {
    return before.flatMap((item, i) => diffValues(item, after[i], join(path, i)));
  }
  return JSON.stringify(before) === JSON.stringify(after) ? [] : [{ path, before, after }];
}
