import { describe, expect, it } from 'vitest';
import { funnelFigures } from './funnel-figures.js';

describe('funnelFigures', () => {
  it("rates each stage by the share of its own cohort that went on, not by the next stage's entries", () => {
    // Four leads reached sql in the period and one went on; three reached prospect in it (two of
    // them had reached sql before the period): entered.prospect / entered.sql would be 0.75.
    const cohorts = [
      { source: null, stage: 'lead', leads: 4, converted: 2 },
      { source: null, stage: 'mql', leads: 2, converted: 2 },
      { source: null, stage: 'sql', leads: 4, converted: 1 },
      { source: null, stage: 'prospect', leads: 3, converted: 0 },
    ];
    expect(funnelFigures(cohorts, [], false)).toEqual([
      {
        entered: { lead: 4, mql: 2, sql: 4, prospect: 3 },
        conversion: { leadToMql: 0.5, mqlToSql: 1, sqlToProspect: 0.25 },
        medianSecondsInStage: { lead: null, mql: null, sql: null },
      },
    ]);
  });

  it('gives null for a stage no lead reached, and one group per source, the largest entry first', () => {
    const groups = funnelFigures(
      [
        { source: 'bing', stage: 'mql', leads: 1, converted: 0 },
        { source: 'google', stage: 'lead', leads: 2, converted: 1 },
      ],
      [{ source: 'bing', stage: 'lead', median_seconds: 60 }],
      true,
    );
    expect(groups).toEqual([
      {
        source: 'google',
        entered: { lead: 2, mql: 0, sql: 0, prospect: 0 },
        conversion: { leadToMql: 0.5, mqlToSql: null, sqlToProspect: null },
        medianSecondsInStage: { lead: null, mql: null, sql: null },
      },
      {
        source: 'bing',
        entered: { lead: 0, mql: 1, sql: 0, prospect: 0 },
        conversion: { leadToMql: null, mqlToSql: 0, sqlToProspect: null },
        medianSecondsInStage: { lead: 60, mql: null, sql: null },
      },
    ]);
  });
});
