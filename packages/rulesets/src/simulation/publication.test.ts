import type { CompiledRuleset, ScoringEvent, Stage } from '@leadscore/scoring';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { leadHistoryOf } from './lead-history.js';
import { replayLead } from './lead-trajectory.js';
import { publicationOf } from './publication.js';
import {
  baseline,
  DAY,
  demoting,
  HOUR,
  type LeadLife,
  leadLife,
  livedUnder,
  mql30,
  publishedFrom,
  streamOf,
  T,
  withStages,
} from './test-support/lead-life.js';

const mql70 = withStages(4, { mql: { minTotal: 70 } });
const RANK: Record<Stage, number> = { lead: 0, recycled: 0, mql: 1, sql: 2, prospect: 3, disqualified: -1 };

/** Where a lead living `life` stands under the baseline, and where publishing `candidate` moves it. */
function published(life: LeadLife, candidate: CompiledRuleset, asOf: number) {
  const history = leadHistoryOf(streamOf(life, baseline, asOf), asOf);
  const stands = replayLead(history, baseline, asOf);
  const tried = replayLead(history, candidate, asOf);
  return { before: stands.stage, after: publicationOf(baseline, candidate, asOf)(stands, tried) };
}

const form = (id: string, at: number, kind = 'contact'): ScoringEvent => ({
  id,
  type: 'form.submitted',
  occurredAt: at,
  properties: { form: kind },
});
// 20 + 20 + 8 + 8 = 56 at T + 3 ms: an mql under the baseline.
const mql56 = [
  form('f1', T),
  form('f2', T + 1),
  { id: 'd1', type: 'content.downloaded', occurredAt: T + 2 },
  { id: 'd2', type: 'content.downloaded', occurredAt: T + 3 },
];

describe('publicationOf: the stage publishing the candidate leaves a lead in', () => {
  it('moves an mql that falls short of a higher demoting threshold to recycled, never back to lead', () => {
    // At T + 20 days the 56 has decayed to about 35.3: below 60 - 8, so the rescore demotes it.
    expect(published({ events: mql56, moves: [] }, demoting, T + 20 * DAY)).toEqual({
      before: 'mql',
      after: 'recycled',
    });
    // Right away 56 is inside the band (>= 52): the lead stays an mql.
    expect(published({ events: mql56, moves: [] }, demoting, T + HOUR)).toEqual({
      before: 'mql',
      after: 'mql',
    });
  });

  it('leaves an mql at mql under a forward-only candidate whose threshold it does not reach', () => {
    expect(published({ events: mql56, moves: [] }, mql70, T + DAY)).toEqual({ before: 'mql', after: 'mql' });
  });

  it('moves no disqualified lead, however far the candidate would take its score', () => {
    // 40 at T + 1 ms: a lead; disqualified; mql at 30 would have made it an mql.
    const life = { events: mql56.slice(0, 2), moves: [{ at: T + HOUR, to: 'disqualified' as const }] };
    expect(published(life, mql30, T + DAY)).toEqual({ before: 'disqualified', after: 'disqualified' });
    expect(published({ ...life, moves: [] }, mql30, T + DAY)).toEqual({ before: 'lead', after: 'mql' });
  });

  it('moves leads exactly as the rescoring job and the projector would, from where they stand', () => {
    fc.assert(
      fc.property(leadLife, fc.constantFrom(baseline, mql30, mql70, demoting), (life, candidate) => {
        const asOf = T + 50 * DAY;
        const { before, after } = published(life, candidate, asOf);
        const stands = livedUnder(life, baseline, asOf).state;
        expect(after).toBe(publishedFrom(stands, life, { baseline, candidate }, asOf));
        // What publishing can and cannot do.
        if (after !== before) {
          expect(before).not.toBe('disqualified');
          expect(['lead', 'disqualified']).not.toContain(after);
        }
        if (!candidate.stages.demotion.enabled) expect(RANK[after]).toBeGreaterThanOrEqual(RANK[before]);
        if (candidate === baseline) expect(after).toBe(before);
      }),
      { numRuns: 500 },
    );
  });
});
