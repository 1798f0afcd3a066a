import type { z } from 'zod';
import type { RulesetShape } from './ruleset.schema.js';

type Ctx = z.RefinementCtx;
type Path = (string | number)[];
// No check reads the version, so a document that leaves it to the catalog is checked the same way.
type Checked = Omit<RulesetShape, 'version'>;

const report = (ctx: Ctx, path: Path, message: string): void => {
  ctx.addIssue({ code: 'custom', path, message });
};

// Checks that span several fields. Each problem is reported at the path a person would edit.
export function checkRulesetConsistency(ruleset: Checked, ctx: Ctx): void {
  checkUniqueRuleIds(ruleset, ctx);
  checkGrades(ruleset, ctx);
  checkTemperatures(ruleset, ctx);
  checkAlerts(ruleset, ctx);
  checkTotalAndStages(ruleset, ctx);
}

function checkUniqueRuleIds(ruleset: Checked, ctx: Ctx): void {
  const seen = new Set<string>();
  const rules: [Path, string][] = [
    ...ruleset.engagement.map((r, i): [Path, string] => [['engagement', i, 'id'], r.id]),
    ...ruleset.fit.map((r, i): [Path, string] => [['fit', i, 'id'], r.id]),
  ];
  for (const [path, id] of rules) {
    if (seen.has(id)) report(ctx, path, `rule id "${id}" is used more than once`);
    seen.add(id);
  }
}

function checkGrades(ruleset: Checked, ctx: Ctx): void {
  ruleset.grades.forEach((band, i) => {
    if (band.grade === 'F') report(ctx, ['grades', i, 'grade'], 'F is the fallback grade below every band');
    const previous = ruleset.grades[i - 1];
    if (!previous) return;
    if (band.grade <= previous.grade) {
      report(ctx, ['grades', i, 'grade'], `grades must be listed best first (${previous.grade} before it)`);
    }
    if (band.minFit >= previous.minFit) {
      report(ctx, ['grades', i, 'minFit'], `must be lower than grade ${previous.grade}'s ${previous.minFit}`);
    }
  });
}

function checkTemperatures(ruleset: Checked, ctx: Ctx): void {
  const names = new Set<string>();
  ruleset.temperatures.forEach((band, i) => {
    if (names.has(band.name))
      report(ctx, ['temperatures', i, 'name'], `"${band.name}" is used more than once`);
    names.add(band.name);
    if (i === 0) {
      if (band.minTotal !== undefined) {
        report(ctx, ['temperatures', 0, 'minTotal'], 'the first (coldest) band has no lower bound');
      }
      return;
    }
    const previousMin = ruleset.temperatures[i - 1]?.minTotal;
    if (band.minTotal === undefined) {
      report(ctx, ['temperatures', i, 'minTotal'], 'required for every band after the first');
    } else if (previousMin !== undefined && band.minTotal <= previousMin) {
      report(ctx, ['temperatures', i, 'minTotal'], `must be higher than the previous band's ${previousMin}`);
    }
  });
}

function checkAlerts(ruleset: Checked, ctx: Ctx): void {
  const names = new Set(ruleset.temperatures.map((band) => band.name));
  ruleset.engagement.forEach((rule, i) => {
    if (rule.alert && !names.has(rule.alert.minTemperature)) {
      report(
        ctx,
        ['engagement', i, 'alert', 'minTemperature'],
        `"${rule.alert.minTemperature}" is not one of the temperatures (${[...names].join(', ')})`,
      );
    }
  });
}

function checkTotalAndStages(ruleset: Checked, ctx: Ctx): void {
  const { floor, cap } = ruleset.total;
  if (floor !== undefined && cap !== undefined && floor >= cap) {
    report(ctx, ['total', 'floor'], `must be lower than the cap ${cap}`);
  }
  const { mql, sql, demotion } = ruleset.stages;
  if (sql.minTotal < mql.minTotal) {
    report(ctx, ['stages', 'sql', 'minTotal'], `must be at least the mql threshold ${mql.minTotal}`);
  }
  // A threshold outside (floor, cap] could never be crossed in one of the two directions.
  for (const [stage, threshold] of [
    ['mql', mql.minTotal],
    ['sql', sql.minTotal],
  ] as const) {
    if (floor !== undefined && threshold <= floor) {
      report(ctx, ['stages', stage, 'minTotal'], `must be above the total floor ${floor}`);
    }
    if (cap !== undefined && threshold > cap) {
      report(ctx, ['stages', stage, 'minTotal'], `must not exceed the total cap ${cap}`);
    }
  }
  if (demotion.enabled && demotion.hysteresis <= 0) {
    report(ctx, ['stages', 'demotion', 'hysteresis'], 'must be above 0 when demotion is enabled');
  }
}
