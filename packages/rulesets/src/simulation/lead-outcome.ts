/**
 * What actually became of a lead, from its recorded stage changes: the outcome mql is meant to
 * predict. Positive once it reached sql or prospect; negative when it was disqualified without
 * having got there first; unknown otherwise (still open).
 */
export type LeadOutcome =
  | { readonly kind: 'positive'; readonly at: number }
  | { readonly kind: 'negative'; readonly at: number }
  | { readonly kind: 'unknown' };

export interface RecordedStageChange {
  readonly to: string;
  readonly at: number;
}

export function outcomeOf(changes: readonly RecordedStageChange[], asOf: number): LeadOutcome {
  let disqualifiedAt: number | undefined;
  for (const change of [...changes].filter((c) => c.at <= asOf).sort((a, b) => a.at - b.at)) {
    if (change.to === 'sql' || change.to === 'prospect') {
      if (disqualifiedAt === undefined) return { kind: 'positive', at: change.at };
    }
    if (change.to === 'disqualified' && disqualifiedAt === undefined) disqualifiedAt = change.at;
  }
  return disqualifiedAt === undefined ? { kind: 'unknown' } : { kind: 'negative', at: disqualifiedAt };
}
