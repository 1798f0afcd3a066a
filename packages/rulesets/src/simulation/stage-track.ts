import {
  afterLook,
  type CompiledRuleset,
  crossingThresholds,
  decide,
  initialStageState,
  type LeadState,
  nextCrossing,
  type ScoreView,
  type Stage,
  type StageSignal,
  type StageState,
  scoreAt,
} from '@leadscore/scoring';

const QUALIFIED: ReadonlySet<Stage> = new Set(['mql', 'sql', 'prospect']);

/**
 * One lead's stage under one ruleset, looked at as the projector looks at it (pure): each look is
 * decided on the state the previous ones left (decide, then afterLook, which remembers the score
 * seen), and between looks decay checks come at the instants the projector schedules them, each
 * crossing of the ruleset's thresholds (crossingThresholds, as the scoring service and the decay
 * scheduler use) by decay alone.
 */
export class StageTrack {
  #state: StageState;
  #mqlAt: number | null = null;
  /** The instant the decay schedule runs from: the last look at a score (a person's move keeps it). */
  #scheduleFrom: number | null = null;
  #lastLookByHand = false;

  constructor(
    private readonly ruleset: CompiledRuleset,
    start: StageState = initialStageState,
  ) {
    this.#state = start;
  }

  get state(): StageState {
    return this.#state;
  }

  /**
   * When the ruleset's score first took the lead to mql or beyond (a threshold, decay or rescore
   * change): a person's move and a two-way signal are not the ruleset's prediction. Null if never.
   */
  get mqlAt(): number | null {
    return this.#mqlAt;
  }

  /** A look at a new score (event, rescore): the decay schedule starts over from `scheduleFrom`. */
  lookAtScore(view: ScoreView, signal: StageSignal, scheduleFrom: number): void {
    this.#look(view, signal);
    this.#scheduleFrom = scheduleFrom;
    this.#lastLookByHand = false;
  }

  /** A person's move, decided on the score at its instant; the decay schedule stays. */
  lookByHand(view: ScoreView, signal: StageSignal & { kind: 'manual' }): void {
    this.#look(view, signal);
    this.#lastLookByHand = true;
  }

  /**
   * The decay checks due before `until` (at it too when `inclusive`), given the lead's scoring
   * state, which no event changes in between. Not taken where no check can change anything (see
   * decayCanMatter), so a simulation pays for crossings only where they matter; the score such a
   * check would have remembered (afterLook) is only read for a recycled lead, which is checked.
   */
  checkDecayUntil(scoring: LeadState, until: number, inclusive: boolean): void {
    if (this.#scheduleFrom === null) return;
    const thresholds = crossingThresholds(this.ruleset);
    while (this.#decayCanMatter(scoring)) {
      // The state cannot be read before its last event; no crossing before it is still due.
      const from = Math.max(this.#scheduleFrom, scoring.lastAt ?? this.#scheduleFrom);
      const crossing = nextCrossing(scoring, thresholds, from, this.ruleset);
      if (crossing === null || crossing.at > until || (crossing.at === until && !inclusive)) return;
      this.lookAtScore(
        scoreAt(scoring, crossing.at, this.ruleset),
        { kind: 'decay', at: crossing.at },
        crossing.at,
      );
    }
    // The checks due before `until` would change nothing: passed over as if taken.
    this.#scheduleFrom = Math.max(this.#scheduleFrom, inclusive ? until : until - 1);
  }

  #look(view: ScoreView, signal: StageSignal): void {
    const changes = decide(this.#state, view, signal, this.ruleset.stages);
    if (this.#mqlAt === null) {
      const byScore = changes.find(
        (change) =>
          change.reason !== 'manual' && change.reason !== 'two-way-signal' && QUALIFIED.has(change.to),
      );
      if (byScore !== undefined) this.#mqlAt = byScore.at;
    }
    this.#state = afterLook(this.#state, view, changes);
  }

  /**
   * Whether a decay check could change the lead's stage now or later. Never for a prospect or a
   * disqualified lead (nothing automatic moves them; a person's move carries its own score). Else
   * always with demotion, for a recycled lead (whether its score dipped decides its return), after
   * a person's move (the score may already meet a requirement no look has acted on), and while
   * the score can rise by decay (negative points fading). Otherwise the score only falls after a
   * look that has acted on it, and a forward-only decider does nothing on a lower score.
   */
  #decayCanMatter(scoring: LeadState): boolean {
    const { stage } = this.#state;
    if (stage === 'prospect' || stage === 'disqualified') return false;
    return (
      this.ruleset.stages.demotion.enabled ||
      stage === 'recycled' ||
      this.#lastLookByHand ||
      scoring.decay.some((accumulator) => accumulator !== null && accumulator[0] < 0)
    );
  }
}
