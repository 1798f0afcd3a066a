import { MS_PER_DAY, windowIndexOf } from '../engine/calendar-window.js';
import { compileConditions, type Predicate } from './compile-condition.js';
import type { Grade, Ruleset, StagePolicy } from './ruleset.schema.js';

export type CompiledEngagementRule = {
  readonly id: string;
  readonly points: number;
  /** Key of the lead state's accumulator for this rule's half-life: the half-life in days. */
  readonly accumulator: string;
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
  readonly rulesByEvent: ReadonlyMap<string, readonly CompiledEngagementRule[]>;
  readonly rulesById: ReadonlyMap<string, CompiledEngagementRule>;
  /** Half-life in ms per accumulator key. */
  readonly halfLives: ReadonlyMap<string, number>;
  readonly fitRules: readonly CompiledFitRule[];
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
  const temperatureIndex = new Map(ruleset.temperatures.map((band, i) => [band.name, i]));
  const rulesByEvent = new Map<string, CompiledEngagementRule[]>();
  const rulesById = new Map<string, CompiledEngagementRule>();
  const halfLives = new Map<string, number>();

  for (const rule of ruleset.engagement) {
    const halfLifeDays = rule.halfLifeDays ?? ruleset.decay.halfLifeDays;
    const accumulator = String(halfLifeDays);
    halfLives.set(accumulator, halfLifeDays * MS_PER_DAY);
    const compiled: CompiledEngagementRule = {
      id: rule.id,
      points: rule.points,
      accumulator,
      halfLifeMs: halfLifeDays * MS_PER_DAY,
      matches: compileConditions(rule.when, 'nested'),
      cap: rule.cap && { count: rule.cap.count, windowOf: windowIndexOf(rule.cap.per) },
      twoWay: rule.twoWay,
      alertFromTemperature: rule.alert && temperatureIndex.get(rule.alert.minTemperature),
    };
    rulesById.set(rule.id, compiled);
    const forEvent = rulesByEvent.get(rule.event) ?? [];
    forEvent.push(compiled);
    rulesByEvent.set(rule.event, forEvent);
  }

  const traitPaths = [...new Set(ruleset.fit.flatMap((rule) => rule.when.map((c) => c.path)))];
  return {
    key: rulesetKey(ruleset),
    source: ruleset,
    rulesByEvent,
    rulesById,
    halfLives,
    fitRules: ruleset.fit.map((rule) => ({
      id: rule.id,
      points: rule.points,
      matches: compileConditions(rule.when, 'flat'),
    })),
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
