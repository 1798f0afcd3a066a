/**
 * What actually became of a lead, from its stage changes recorded up to asOf (by a person or by
 * the scorer, under whichever version was active): the outcome mql is meant to predict. Positive
 * at the first instant it entered sql or prospect; negative at its first disqualification, when
 * that came before any sql or prospect; unknown otherwise (still open).
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
