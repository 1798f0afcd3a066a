import { isActivityType } from '@leadscore/contracts';
import {
  forEachStream,
  leadStageChangedEventType,
  type Queryable,
  type RecordedEvent,
} from '@leadscore/eventstore';
import {
  type CompiledRuleset,
  canonicalEvents,
  type ScoringEvent,
  scoringEventFromStored,
} from '@leadscore/scoring';
import { outcomeOf, type RecordedStageChange } from './lead-outcome.js';
import { trajectoryOfCanonical } from './lead-trajectory.js';
import { type SimulationReport, SimulationTally } from './simulation-report.js';

export interface SimulateOptions {
  /** What the leads are compared against: usually the active version. */
  readonly baseline: CompiledRuleset;
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
 * anything: each lead is replayed under both (stages, final score, when it became mql) and set
 * against what actually became of it (its recorded sql/prospect or disqualification). Leads are
 * read from the store in batches and folded into counters, so memory does not grow with leads.
 */
export async function simulateRulesets(db: Queryable, options: SimulateOptions): Promise<SimulationReport> {
  const batchSize = options.batchSize ?? 500;
  const tally = new SimulationTally();
  let after = '';
  for (;;) {
    const { rows } = await db.query<{ stream_id: string }>(nextStreamsSql, [after, batchSize]);
    if (rows.length === 0) break;
    // Each lead folded as its events arrive, so that they die young (see forEachRow).
    await forEachStream(
      db,
      rows.map((row) => row.stream_id),
      (_, events) => {
        const { activities, stageChanges } = split(events);
        const ordered = canonicalEvents(activities, options.asOf);
        tally.add(
          trajectoryOfCanonical(ordered, options.baseline, options.asOf),
          trajectoryOfCanonical(ordered, options.candidate, options.asOf),
          outcomeOf(stageChanges, options.asOf),
        );
      },
    );
    after = rows.at(-1)!.stream_id;
    if (rows.length < batchSize) break;
  }
  return tally.report();
}

function split(events: readonly RecordedEvent[]) {
  const activities: ScoringEvent[] = [];
  const stageChanges: RecordedStageChange[] = [];
  for (const event of events) {
    if (isActivityType(event.type)) {
      activities.push(scoringEventFromStored(event));
    } else if (event.type === leadStageChangedEventType) {
      const to = (event.data as { to?: unknown }).to;
      if (typeof to === 'string') stageChanges.push({ to, at: event.occurredAt.getTime() });
    }
  }
  return { activities, stageChanges };
}
