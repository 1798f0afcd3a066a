import type { ConsumedMessage } from '@leadscore/kafka';
import { describe, expect, it } from 'vitest';
import { decodeScoreChanged } from './decode-score-changed.js';

const valid = {
  leadId: 'ann',
  eventId: 'ev-1',
  globalPosition: '42',
  rulesetId: 'default',
  rulesetVersion: 1,
  occurredAt: '2026-03-02T09:00:00Z',
  scoredAt: '2026-03-02T09:00:00Z',
  recomputed: false,
  computedAt: '2026-03-02T09:00:01Z',
  old: null,
  new: { engagement: 40, fit: 35, total: 75, grade: 'A', temperature: 'hot' },
  changes: ['score'],
  signals: { twoWay: false, twoWayAt: null },
  nextCrossingAt: null,
};

const consumed = (key: string | null, value: string): ConsumedMessage => ({
  topic: 'score-changed',
  partition: 0,
  offset: '0',
  key,
  value: Buffer.from(value),
  headers: {},
  timestamp: 0,
});

describe('decodeScoreChanged', () => {
  it('reads a score change keyed by its lead', () => {
    const decoded = decodeScoreChanged(consumed('ann', JSON.stringify(valid)));
    expect(decoded).toMatchObject({ ok: true, message: { leadId: 'ann', globalPosition: '42' } });
  });

  it('says why a message cannot be decided on', () => {
    expect(decodeScoreChanged(consumed('ann', '{not json'))).toEqual({
      ok: false,
      reason: 'value is not JSON',
    });
    const offContract = decodeScoreChanged(consumed('ann', JSON.stringify({ ...valid, globalPosition: -1 })));
    expect(offContract.ok ? '' : offContract.reason).toMatch(/^globalPosition: /);
    const misrouted = decodeScoreChanged(consumed('bob', JSON.stringify(valid)));
    expect(misrouted.ok ? '' : misrouted.reason).toMatch(/key bob is not the lead id ann/);
  });
});
