import { forEachStream, type Queryable, type RecordedEvent } from '@leadscore/eventstore';
import type { CompiledRuleset } from '@leadscore/scoring';
import { type LeadHistory, leadHistoryOf } from './lead-history.js';
import { outcomeOf } from './lead-outcome.js';
import { type LeadTrajectory, replayLead } from './lead-trajectory.js';
import { publicationOf } from './publication.js';
import { type SimulationReport, SimulationTally } from './simulation-report.js';

export interface SimulateOptions {
  /** What the leads are compared against: usually the active version. */
  readonly baseline: CompiledRuleset;
  /**
   * Whether the baseline is the active version, so that each lead stands where its recorded stage
   * changes put it by asOf (those earlier versions and publications decided included): the record
   * is what the active version and those before it made. Otherwise (the default: a draft, or a
   * version no longer active) the lead stands where the baseline's replay of its history leaves
   * it, since the record is not what that version would have made.
   */
  readonly standOnRecord?: boolean;
  /** The version being tried: usually a draft. */
  readonly candidate: CompiledRuleset;
  /** Epoch ms: history up to this instant counts, and final scores are read at it. */
  readonly asOf: number;
  /** Leads read per query. */
  readonly batchSize?: number;
}

// Lead streams in id order, one page at a time (primary key range scan).
const nextStreamsSql = `
SELECT stream_id FROM eventstore.streams
 WHERE stream_id > $1 AND stream_id LIKE 'lead-%'
 ORDER BY stream_id
 LIMIT $2`;

/**
 * Backtests `candidate` against `baseline` over every lead's recorded history without writing
 * anything (see leadSimulation). Leads are read from the store in batches and folded into
 * counters, so memory does not grow with leads.
 */
export async function simulateRulesets(db: Queryable, options: SimulateOptions): Promise<SimulationReport> {
  const batchSize = options.batchSize ?? 500;
  const simulation = leadSimulation(options);
  let after = '';
  for (;;) {
    const { rows } = await db.query<{ stream_id: string }>(nextStreamsSql, [after, batchSize]);
    if (rows.length === 0) break;
    // Each lead folded as its events arrive, so that they die young (see forEachRow).
    await forEachStream(
      db,
      rows.map((row) => row.stream_id),
      (_, events) => simulation.add(events),
    );
    after = rows.at(-1)!.stream_id;
    if (rows.length < batchSize) break;
  }
  return simulation.report();
}

export interface LeadSimulation {
  /** Adds one lead, given its whole stream. */
  add(stream: readonly RecordedEvent[]): void;
  report(): SimulationReport;
}

/**
 * The backtest of one lead after another (pure). Each lead's activity and the stage moves people
 * made (disqualify, recycle, accept) are replayed through the projector's decider under both
 * versions (replayLead). The lead stands where its recorded stage changes put it (those earlier
 * versions and publications decided included) when the baseline is the active version
 * (standOnRecord), else where the baseline's replay leaves it; publishing the candidate moves it
 * from there (publicationOf), and each replay says when that version's score took the lead to
 * mql, set against what actually became of it (outcomeOf: its recorded sql/prospect or
 * disqualification). A lead with no activity up to asOf did not exist yet: it is left out of
 * every figure.
 */
export function leadSimulation(options: Omit<SimulateOptions, 'batchSize'>): LeadSimulation {
  const { baseline, candidate, asOf, standOnRecord = false } = options;
  const tally = new SimulationTally();
  const publish = publicationOf(baseline, candidate, asOf);
  return {
    add(stream) {
      const history = leadHistoryOf(stream, asOf);
      if (history.events.length === 0) return;
      // The replay under the baseline gives the lead's score, what its decider last saw, and when
      // the baseline's score made it an mql. Where the lead stands is its record when the baseline
      // is the active version, which made it; any other version stands where its replay leaves it.
      const replayed = replayLead(history, baseline, asOf);
      const stands = standOnRecord ? onRecord(replayed, history.recorded) : replayed;
      const tried = replayLead(history, candidate, asOf);
      tally.add(stands, { ...tried, stage: publish(stands, tried) }, outcomeOf(history.stageChanges, asOf));
    },
    report: () => tally.report(),
  };
}

/** The baseline's replay of a lead, standing where its record puts it instead. */
function onRecord(replayed: LeadTrajectory, recorded: LeadHistory['recorded']): LeadTrajectory {
  const { stage, since } = recorded;
  return { ...replayed, stage, stageState: { ...replayed.stageState, stage, since } };
}
