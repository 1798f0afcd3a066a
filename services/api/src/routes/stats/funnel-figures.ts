import type { StageCohortRow, StageDurationRow } from '../../read-models/funnel.js';

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
 * Assembles the funnel per group from the per-(source, stage) rows of the two queries. A stage's
 * conversion is the share of the leads that reached it in the period that went on to the next
 * stage: the converted leads are some of the cohort, so every rate lies between 0 and 1.
 */
export function funnelFigures(
  cohorts: readonly StageCohortRow[],
  durations: readonly StageDurationRow[],
  bySource: boolean,
): FunnelGroup[] {
  const groups = new Map<string | null, { group: FunnelGroup; converted: Record<FunnelStage, number> }>();
  const groupOf = (source: string | null) => {
    let entry = groups.get(source);
    if (!entry) {
      entry = {
        group: {
          ...(bySource ? { source } : {}),
          entered: { lead: 0, mql: 0, sql: 0, prospect: 0 },
          conversion: { leadToMql: null, mqlToSql: null, sqlToProspect: null },
          medianSecondsInStage: { lead: null, mql: null, sql: null },
        },
        converted: { lead: 0, mql: 0, sql: 0, prospect: 0 },
      };
      groups.set(source, entry);
    }
    return entry;
  };
  if (!bySource) groupOf(null);
  for (const row of cohorts) {
    if (!(FUNNEL as readonly string[]).includes(row.stage)) continue;
    const entry = groupOf(row.source);
    entry.group.entered[row.stage as FunnelStage] = row.leads;
    entry.converted[row.stage as FunnelStage] = row.converted;
  }
  for (const row of durations) {
    const stage = row.stage as keyof FunnelGroup['medianSecondsInStage'];
    groupOf(row.source).group.medianSecondsInStage[stage] = row.median_seconds;
  }
  const groupList = [...groups.values()].map(({ group, converted }) => {
    const { entered } = group;
    group.conversion = {
      leadToMql: ratio(converted.lead, entered.lead),
      mqlToSql: ratio(converted.mql, entered.mql),
      sqlToProspect: ratio(converted.sql, entered.sql),
    };
    return group;
  });
  return groupList.sort(
    (a, b) => b.entered.lead - a.entered.lead || String(a.source).localeCompare(String(b.source)),
  );
}
