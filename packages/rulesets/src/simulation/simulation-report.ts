import type { Stage } from '@leadscore/scoring';
import type { LeadOutcome } from './lead-outcome.js';
import type { LeadFigures } from './lead-trajectory.js';

const STAGES: readonly Stage[] = ['lead', 'mql', 'sql', 'prospect', 'disqualified', 'recycled'];
// Funnel rank: a move to a higher rank is "up". Side stages rank with lead.
const RANK: Record<Stage, number> = { lead: 0, recycled: 0, disqualified: 0, mql: 1, sql: 2, prospect: 3 };

/** Score buckets of the distributions: [edge, next edge), with an open bucket at either end. */
export const SCORE_BUCKET_EDGES: readonly number[] = [
  0, 10, 20, 30, 40, 50, 60, 70, 80, 90, 100, 125, 150, 200,
];

export interface ScoreDistribution {
  /** One count per bucket: below the first edge, each [edge, next), at or above the last edge. */
  readonly counts: number[];
  readonly mean: number;
  readonly min: number;
  readonly max: number;
}

/**
 * How well a ruleset's mql predicts the outcomes (see LeadOutcome). The ruleset flags a lead when
 * its replay takes the lead to mql or beyond by score (never a person's move) at or before the
 * outcome's instant; an mql reached only after the outcome predicted nothing. Leads without a
 * known outcome are not counted.
 */
export interface MqlPrediction {
  /** Positive outcome, flagged by then. */
  readonly truePositives: number;
  /** Negative outcome (disqualified), flagged by then. */
  readonly falsePositives: number;
  /** Positive outcome, not flagged by then (never, or only later). */
  readonly falseNegatives: number;
  /** Negative outcome, not flagged by then. */
  readonly trueNegatives: number;
  /** TP / (TP + FP); null without any flagged lead among leads with a known outcome. */
  readonly precision: number | null;
  /** TP / (TP + FN); null without positive outcomes. */
  readonly recall: number | null;
  /** Median over true positives of (outcome instant - flag instant), ms (never negative); null without any. */
  readonly medianLeadTimeMs: number | null;
}

export interface SimulationReport {
  readonly leads: number;
  readonly stages: {
    /**
     * Leads per stage: under the baseline, where the replay of their activity and of the moves
     * people made leaves them (where they stand, when the baseline decided them); under the
     * candidate, where publishing it would move them from there (see publicationOf).
     */
    readonly baseline: Record<Stage, number>;
    readonly candidate: Record<Stage, number>;
    /** Leads whose stage differs, by "from->to" (baseline stage -> candidate stage). */
    readonly moves: Record<string, number>;
    readonly up: number;
    readonly down: number;
  };
  readonly scores: { readonly baseline: ScoreDistribution; readonly candidate: ScoreDistribution };
  readonly outcomes: {
    /** Leads by outcome (LeadOutcome): positive, negative, or unknown (open). */
    readonly positive: number;
    readonly negative: number;
    readonly unknown: number;
    readonly baseline: MqlPrediction;
    readonly candidate: MqlPrediction;
    /**
     * Median over leads both rulesets predicted correctly (true positives of both) of (candidate
     * lead time - baseline lead time), ms: positive means the candidate flags good leads earlier.
     */
    readonly medianLeadTimeGainedMs: number | null;
  };
}

class Distribution {
  private readonly counts = new Array<number>(SCORE_BUCKET_EDGES.length + 1).fill(0);
  private sum = 0;
  private n = 0;
  private min = Number.POSITIVE_INFINITY;
  private max = Number.NEGATIVE_INFINITY;

  add(total: number): void {
    let bucket = 0;
    while (bucket < SCORE_BUCKET_EDGES.length && total >= SCORE_BUCKET_EDGES[bucket]!) bucket += 1;
    this.counts[bucket]! += 1;
    this.sum += total;
    this.n += 1;
    this.min = Math.min(this.min, total);
    this.max = Math.max(this.max, total);
  }

  result(): ScoreDistribution {
    return {
      counts: [...this.counts],
      mean: this.n === 0 ? 0 : this.sum / this.n,
      min: this.n === 0 ? 0 : this.min,
      max: this.n === 0 ? 0 : this.max,
    };
  }
}

class Prediction {
  tp = 0;
  fp = 0;
  fn = 0;
  tn = 0;
  readonly leadTimes: number[] = [];

  /** Counts the lead; returns its lead time when it is a true positive. */
  add(figures: LeadFigures, outcome: LeadOutcome): number | undefined {
    if (outcome.kind === 'unknown') return undefined;
    const flagged = figures.mqlAt !== null && figures.mqlAt <= outcome.at;
    if (outcome.kind === 'negative') {
      if (flagged) this.fp += 1;
      else this.tn += 1;
      return undefined;
    }
    if (!flagged) {
      this.fn += 1;
      return undefined;
    }
    this.tp += 1;
    const leadTime = outcome.at - figures.mqlAt!;
    this.leadTimes.push(leadTime);
    return leadTime;
  }

  result(): MqlPrediction {
    return {
      truePositives: this.tp,
      falsePositives: this.fp,
      falseNegatives: this.fn,
      trueNegatives: this.tn,
      precision: this.tp + this.fp === 0 ? null : this.tp / (this.tp + this.fp),
      recall: this.tp + this.fn === 0 ? null : this.tp / (this.tp + this.fn),
      medianLeadTimeMs: median(this.leadTimes),
    };
  }
}

function median(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

const stageCounts = (): Record<Stage, number> =>
  Object.fromEntries(STAGES.map((stage) => [stage, 0])) as Record<Stage, number>;

/**
 * Adds leads up one at a time, so a simulation over any number of leads holds counters and not
 * leads (only the lead times of correctly predicted leads are kept, for their medians).
 */
export class SimulationTally {
  private leads = 0;
  private readonly baselineStages = stageCounts();
  private readonly candidateStages = stageCounts();
  private readonly moves: Record<string, number> = {};
  private up = 0;
  private down = 0;
  private readonly baselineScores = new Distribution();
  private readonly candidateScores = new Distribution();
  private readonly outcomeCounts = { positive: 0, negative: 0, unknown: 0 };
  private readonly baselinePrediction = new Prediction();
  private readonly candidatePrediction = new Prediction();
  private readonly gains: number[] = [];

  add(baseline: LeadFigures, candidate: LeadFigures, outcome: LeadOutcome): void {
    this.leads += 1;
    this.baselineStages[baseline.stage] += 1;
    this.candidateStages[candidate.stage] += 1;
    if (baseline.stage !== candidate.stage) {
      const key = `${baseline.stage}->${candidate.stage}`;
      this.moves[key] = (this.moves[key] ?? 0) + 1;
      if (RANK[candidate.stage] > RANK[baseline.stage]) this.up += 1;
      else if (RANK[candidate.stage] < RANK[baseline.stage]) this.down += 1;
    }
    this.baselineScores.add(baseline.total);
    this.candidateScores.add(candidate.total);
    this.outcomeCounts[outcome.kind] += 1;
    const before = this.baselinePrediction.add(baseline, outcome);
    const after = this.candidatePrediction.add(candidate, outcome);
    if (before !== undefined && after !== undefined) this.gains.push(after - before);
  }

  report(): SimulationReport {
    return {
      leads: this.leads,
      stages: {
        baseline: { ...this.baselineStages },
        candidate: { ...this.candidateStages },
        moves: { ...this.moves },
        up: this.up,
        down: this.down,
      },
      scores: { baseline: this.baselineScores.result(), candidate: this.candidateScores.result() },
      outcomes: {
        ...this.outcomeCounts,
        baseline: this.baselinePrediction.result(),
        candidate: this.candidatePrediction.result(),
        medianLeadTimeGainedMs: median(this.gains),
      },
    };
  }
}
