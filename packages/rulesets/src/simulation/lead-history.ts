import { isActivityType } from '@leadscore/contracts';
import { leadStageChangedEventType, type RecordedEvent } from '@leadscore/eventstore';
import {
  canonicalEvents,
  type ScoringEvent,
  type Stage,
  StageSchema,
  scoringEventFromStored,
} from '@leadscore/scoring';
import type { RecordedStageChange } from './lead-outcome.js';

/** A person's move of the lead (disqualify, recycle, accept...), as its LeadStageChanged recorded it. */
export interface ManualMove {
  /** The instant the change was recorded at (its occurredAt). */
  readonly at: number;
  readonly to: Stage;
}

/** What a simulation replays of one lead: its stream up to `asOf`, sorted out. */
export interface LeadHistory {
  /** Activity events that occurred up to asOf, in canonical order (canonicalEvents). */
  readonly events: readonly ScoringEvent[];
  /** Moves by hand recorded up to asOf, oldest first: replayed through the decider with the events. */
  readonly manualMoves: readonly ManualMove[];
  /** Every stage change recorded (whatever caused it): what became of the lead (outcomeOf). */
  readonly stageChanges: readonly RecordedStageChange[];
  /**
   * Where the lead stands by its record at asOf: the last stage change recorded up to then, in
   * stream order (`lead` since never, without one). Changes earlier versions or publications
   * decided are in it, which no replay under one version gives back; it is where the active
   * version has the lead, so only a simulation against the active version starts from it.
   */
  readonly recorded: { readonly stage: Stage; readonly since: number | null };
}

const isStage = (value: unknown): value is Stage => StageSchema.safeParse(value).success;

/**
 * A lead's stream (any order) as a simulation replays it up to `asOf`. Only the recorded stage
 * changes a person made become manual moves: every other change was decided on a score, which the
 * replay decides again under the ruleset it replays.
 */
export function leadHistoryOf(stream: readonly RecordedEvent[], asOf: number): LeadHistory {
  const activities: ScoringEvent[] = [];
  const manualMoves: ManualMove[] = [];
  const stageChanges: RecordedStageChange[] = [];
  let recorded: LeadHistory['recorded'] = { stage: 'lead', since: null };
  let recordedPosition = -1;
  for (const event of stream) {
    if (isActivityType(event.type)) {
      activities.push(scoringEventFromStored(event));
    } else if (event.type === leadStageChangedEventType) {
      const { to, reason } = event.data as { to?: unknown; reason?: unknown };
      const at = event.occurredAt.getTime();
      if (typeof to !== 'string') continue;
      stageChanges.push({ to, at });
      if (reason === 'manual' && isStage(to) && at <= asOf) manualMoves.push({ at, to });
      if (isStage(to) && at <= asOf && event.streamPosition > recordedPosition) {
        recorded = { stage: to, since: at };
        recordedPosition = event.streamPosition;
      }
    }
  }
  manualMoves.sort((a, b) => a.at - b.at);
  return { events: canonicalEvents(activities, asOf), manualMoves, stageChanges, recorded };
}
