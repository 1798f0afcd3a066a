import type { StageCountRow, StageDurationRow } from '../../read-models/funnel.js';

const FUNNEL = ['lead', 'mql', 'sql', 'prospect'] as const;
type FunnelStage = (typeof FUNNEL)[number];

export interface FunnelGroup {
  source?: string | null;
  entered: Record<FunnelStage, number>;
  conversion: { leadToMql: number | null; mqlToSql: number | null; sqlToProspect: number | null };
  medianSecondsInStage: { lead: number | null; mql: number | null; sql: number | null };
}

const ratio = (numerator: number, denominator: number) =>
  denominator === 0 ? null : numerator / denominator;

/**
 * Assembles the funnel per group from the per-(source, stage) rows of the two queries. Conversion
 * is the share of a period's entries into one stage that the next stage's entries make up.
 */
export function funnelFigures(
  entries: readonly StageCountRow[],
  durations: readonly StageDurationRow[],
  bySource: boolean,
): FunnelGroup[] {
  const groups = new Map<string | null, FunnelGroup>();
  const groupOf = (source: string | null) => {
    let group = groups.get(source);
    if (!group) {
      group = {
        ...(bySource ? { source } : {}),
        entered: { lead: 0, mql: 0, sql: 0, prospect: 0 },
        conversion: { leadToMql: null, mqlToSql: null, sqlToProspect: null },
        medianSecondsInStage: { lead: null, mql: null, sql: null },
      };
      groups.set(source, group);
    }
    return group;
  };
  if (!bySource) groupOf(null);
  for (const row of entries) {
    if ((FUNNEL as readonly string[]).includes(row.stage))
      groupOf(row.source).entered[row.stage as FunnelStage] = row.leads;
  }
  for (const row of durations) {
    const stage = row.stage as keyof FunnelGroup['medianSecondsInStage'];
    groupOf(row.source).medianSecondsInStage[stage] = row.median_seconds;
  }
  for (const group of groups.values()) {
    const { lead, mql, sql, prospect } = group.entered;
    group.conversion = {
      leadToMql: ratio(mql, lead),
      mqlToSql: ratio(sql, mql),
      sqlToProspect: ratio(prospect, sql),
    };
  }
  return [...groups.values()].sort(
    (a, b) => b.entered.lead - a.entered.lead || String(a.source).localeCompare(String(b.source)),
  );
}
