import type { Stage, StageChanged } from '@leadscore/scoring';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { leadHistoryOf } from './lead-history.js';
import { leadTrajectory, replayLead } from './lead-trajectory.js';
import {
  baseline,
  DAY,
  demoting,
  HOUR,
  type LeadLife,
  leadLife,
  livedUnder,
  mql30,
  streamOf,
  T,
} from './test-support/lead-life.js';

const form = (id: string, at: number, kind = 'contact') => ({
  id,
  type: 'form.submitted',
  occurredAt: at,
  properties: { form: kind },
});
const clicks = (count: number, start: number) =>
  Array.from({ length: count }, (_, i) => ({
    id: `c${i}`,
    type: 'email.clicked',
    occurredAt: start + i * HOUR,
  }));

const QUALIFIED: ReadonlySet<Stage> = new Set(['mql', 'sql', 'prospect']);
const firstByScore = (changes: readonly StageChanged[]) =>
  changes.find((c) => c.reason !== 'manual' && c.reason !== 'two-way-signal' && QUALIFIED.has(c.to))?.at ??
  null;

describe('replayLead: the moves people made are replayed with the activity', () => {
  it('keeps a disqualified lead disqualified whatever its score does afterwards', () => {
    // 20 + 9 clicks (27) = 47 by T + 9h, disqualified at T + 10h, 5 more clicks (62) after.
    const events = [form('f', T), ...clicks(14, T + HOUR)];
    const moves = [{ at: T + 10 * HOUR, to: 'disqualified' as const }];
    const asOf = T + 2 * DAY;
    expect(leadTrajectory(events, baseline, asOf, moves)).toMatchObject({
      stage: 'disqualified',
      mqlAt: null,
    });
    // Without the move, the clicks after it make an mql.
    const unmoved = leadTrajectory(events, baseline, asOf);
    expect(unmoved.stage).toBe('mql');
    expect(unmoved.mqlAt).toBeGreaterThan(T + 10 * HOUR);
  });

  it('puts a lead accepted by hand at sql without counting the acceptance as its mql', () => {
    const events = [form('f', T)];
    const trajectory = leadTrajectory(events, baseline, T + DAY, [{ at: T + HOUR, to: 'sql' }]);
    expect(trajectory).toMatchObject({ stage: 'sql', mqlAt: null });
  });

  it('brings a lead recycled while qualified back to mql only once its score has dipped below and risen again', () => {
    // 60 at T; recycled at T + 1h (score ~60); a click at T + 2h (63) changes nothing.
    const events = [
      form('f1', T),
      form('f2', T + 1),
      form('f3', T + 2),
      { ...form('x', T + 2 * HOUR), type: 'email.clicked' },
    ];
    const recycled = [{ at: T + HOUR, to: 'recycled' as const }];
    expect(leadTrajectory(events, baseline, T + 3 * HOUR, recycled).stage).toBe('recycled');
    // Decay takes it below 50 around T + 8 days (a decay check sees it); a demo form then brings it back.
    const later = [...events, form('demo', T + 20 * DAY, 'demo-request')];
    const replayed = leadTrajectory(later, baseline, T + 21 * DAY, recycled);
    expect(replayed.stage).toBe('mql');
  });

  it('has the decay check after a move by hand decide on the score, as the projector does', () => {
    // 112 at T + 6 ms (mql since T + 1 ms; no fit for sql), disqualified, moved back to lead at 111.8; decay crosses 100
    // about five days later, and that check (still >= 50) makes it an mql again.
    const events = [
      form('demo', T, 'demo-request'),
      form('f1', T + 1),
      form('f2', T + 2),
      ...[0, 1, 2, 3].map((i) => ({ id: `d${i}`, type: 'content.downloaded', occurredAt: T + 3 + i })),
    ];
    const moves = [
      { at: T + HOUR, to: 'disqualified' as const },
      { at: T + 2 * HOUR, to: 'lead' as const },
    ];
    const asOf = T + 10 * DAY;
    const life = { events, moves };
    expect(livedUnder(life, baseline, asOf).state.stage).toBe('mql');
    expect(leadTrajectory(events, baseline, asOf, moves)).toMatchObject({ stage: 'mql', mqlAt: T + 1 });
  });

  it('reproduces the stages the projector records, from the stream, whatever the activity and the moves', () => {
    fc.assert(
      fc.property(leadLife, fc.constantFrom(baseline, mql30, demoting), (life: LeadLife, ruleset) => {
        const asOf = T + 50 * DAY;
        const lived = livedUnder(life, ruleset, asOf);
        const replayed = replayLead(leadHistoryOf(streamOf(life, ruleset, asOf), asOf), ruleset, asOf);
        expect({ stage: replayed.stage, since: replayed.stageState.since }).toEqual({
          stage: lived.state.stage,
          since: lived.state.since,
        });
        expect(replayed.mqlAt).toBe(firstByScore(lived.recorded));
      }),
      { numRuns: 500 },
    );
  });
});
