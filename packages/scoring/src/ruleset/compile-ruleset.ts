import { MS_PER_DAY, windowIndexOf } from '../engine/calendar-window.js';
import { compileConditions, type Predicate } from './compile-condition.js';
import type { Grade, Ruleset, StagePolicy } from './ruleset.schema.js';

export type CompiledEngagementRule = {
  readonly id: string;
  /** Position in the ruleset's engagement rules, and of the rule's tally in a lead state. */
  readonly index: number;
  readonly points: number;
  /** Position of the accumulator for this rule's half-life in a lead state. */
  readonly accumulator: number;
  readonly halfLifeMs: number;
  readonly matches: Predicate;
  readonly cap: { readonly count: number; readonly windowOf: (at: number) => number } | undefined;
  readonly twoWay: boolean;
  /** Index into temperatures from which a counted event raises an alert. */
  readonly alertFromTemperature: number | undefined;
};

export type CompiledFitRule = { readonly id: string; readonly points: number; readonly matches: Predicate };

/** A ruleset prepared for folding: rules indexed by event type, conditions turned into functions. */
export type CompiledRuleset = {
  /** `${id}@${version}`, stamped on every lead state built with it. */
  readonly key: string;
  readonly source: Ruleset;
  readonly engagement: readonly CompiledEngagementRule[];
  readonly rulesByEvent: ReadonlyMap<string, readonly CompiledEngagementRule[]>;
  /** Distinct half-lives in ms, ascending: one accumulator each. */
  readonly halfLives: readonly number[];
  readonly fitRules: readonly CompiledFitRule[];
  /**
   * The fit points of a lead's remembered traits. Memoised per traits object: lead states never
   * change one in place (the fold copies it when a trait changes), and the same traits are scored
   * several times per event (the views before and after it, its alerts, the next crossing), so
   * the fit rules' patterns (the free-mail list is a 13-way regular expression) run once per
   * change of traits instead: 525 -> 70 ns per call for the default ruleset's traits (they were
   * 2.5% of rescoring's node CPU in a bench:replay profile).
   */
  readonly fitOf: (traits: Readonly<Record<string, unknown>>) => number;
  /** Trait paths a fit rule reads: only these are remembered in the lead state. */
  readonly traitPaths: readonly { readonly path: string; readonly segments: readonly string[] }[];
  readonly grades: readonly { readonly grade: Grade; readonly minFit: number }[];
  readonly temperatures: readonly { readonly name: string; readonly minTotal: number }[];
  readonly floor: number;
  readonly cap: number;
  readonly stages: StagePolicy;
};

export function rulesetKey(ruleset: Pick<Ruleset, 'id' | 'version'>): string {
  return `${ruleset.id}@${ruleset.version}`;
}

export function compileRuleset(ruleset: Ruleset): CompiledRuleset {
  const halfLifeMsOf = (days: number | undefined) => (days ?? ruleset.decay.halfLifeDays) * MS_PER_DAY;
  const halfLives = [...new Set(ruleset.engagement.map((rule) => halfLifeMsOf(rule.halfLifeDays)))].sort(
    (a, b) => a - b,
  );
  const temperatureIndex = new Map(ruleset.temperatures.map((band, i) => [band.name, i]));
  const engagement = ruleset.engagement.map(
    (rule, index): CompiledEngagementRule => ({
      id: rule.id,
      index,
      points: rule.points,
      accumulator: halfLives.indexOf(halfLifeMsOf(rule.halfLifeDays)),
      halfLifeMs: halfLifeMsOf(rule.halfLifeDays),
      matches: compileConditions(rule.when, 'nested'),
      cap: rule.cap && { count: rule.cap.count, windowOf: windowIndexOf(rule.cap.per) },
      twoWay: rule.twoWay,
      alertFromTemperature: rule.alert && temperatureIndex.get(rule.alert.minTemperature),
    }),
  );
  const rulesByEvent = new Map<string, CompiledEngagementRule[]>();
  for (const [i, rule] of ruleset.engagement.entries()) {
    rulesByEvent.set(rule.event, [...(rulesByEvent.get(rule.event) ?? []), engagement[i]!]);
  }

  const traitPaths = [...new Set(ruleset.fit.flatMap((rule) => rule.when.map((c) => c.path)))];
  const fitRules = ruleset.fit.map(
    (rule): CompiledFitRule => ({
      id: rule.id,
      points: rule.points,
      matches: compileConditions(rule.when, 'flat'),
    }),
  );
  return {
    key: rulesetKey(ruleset),
    source: ruleset,
    engagement,
    rulesByEvent,
    halfLives,
    fitRules,
    fitOf: memoisedFit(fitRules),
    traitPaths: traitPaths.map((path) => ({ path, segments: path.split('.') })),
    grades: ruleset.grades,
    temperatures: ruleset.temperatures.map((band) => ({
      name: band.name,
      minTotal: band.minTotal ?? Number.NEGATIVE_INFINITY,
    })),
    floor: ruleset.total.floor ?? Number.NEGATIVE_INFINITY,
    cap: ruleset.total.cap ?? Number.POSITIVE_INFINITY,
    stages: ruleset.stages,
  };
}

function memoisedFit(rules: readonly CompiledFitRule[]): CompiledRuleset['fitOf'] {
  const fitOfTraits = new WeakMap<object, number>();
  return (traits) => {
    let fit = fitOfTraits.get(traits);
    if (fit === undefined) {
      fit = rules.reduce((sum, rule) => (rule.matches(traits) ? sum + rule.points : sum), 0);
      fitOfTraits.set(traits, fit);
    }
    return fit;
  };
}
