import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type ScoreChangedMessage, scoreChangedMessageSchema } from './score-changed-message.js';
import { withOneFieldChanged } from './test-support/activity-arbitraries.js';
import { itAgreesWithItsSchema } from './test-support/fast-path-properties.js';
import { isWellFormedScoreChange } from './well-formed-score-change.js';

const instant = fc
  .date({ min: new Date('1990-01-01T00:00:00Z'), max: new Date('2100-01-01T00:00:00Z'), noInvalidDate: true })
  .map((date) => date.toISOString());

const snapshot = fc.record({
  engagement: fc.double({ noNaN: true, noDefaultInfinity: true }),
  fit: fc.double({ noNaN: true, noDefaultInfinity: true }),
  total: fc.double({ noNaN: true, noDefaultInfinity: true }),
  grade: fc.constantFrom('A', 'B', 'C', 'D', 'E', 'F'),
  temperature: fc.constantFrom('cold', 'warm', 'hot', 'x'),
});

/** What the scoring service publishes (publications.ts), as the projector reads it back. */
const published = fc
  .record(
    {
      leadId: fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9._:@+~-]{0,20}$/),
      email: fc.constantFrom('ann@example.com', 'b.c+d@acme.io'),
      eventId: fc.stringMatching(/^[\x21-\x7e]{1,40}$/),
      globalPosition: fc.bigInt({ min: 1n, max: 2n ** 63n - 1n }).map(String),
      rulesetId: fc.constantFrom('default', 'b2b'),
      rulesetVersion: fc.integer({ min: 1, max: 1_000 }),
      occurredAt: instant,
      scoredAt: instant,
      recomputed: fc.boolean(),
      computedAt: instant,
      old: fc.option(snapshot, { nil: null }),
      new: snapshot,
      changes: fc.subarray(['score', 'grade', 'temperature', 'signals', 'ruleset'] as const, {
        minLength: 1,
      }),
      signals: fc.record({ twoWay: fc.boolean(), twoWayAt: fc.option(instant, { nil: null }) }),
      nextCrossingAt: fc.option(instant, { nil: null }),
      rescore: fc.record({ jobId: fc.constantFrom('rsj_1', 'job') }),
    },
    {
      requiredKeys: [
        'leadId',
        'eventId',
        'globalPosition',
        'rulesetId',
        'rulesetVersion',
        'occurredAt',
        'scoredAt',
        'recomputed',
        'computedAt',
        'old',
        'new',
        'changes',
        'signals',
        'nextCrossingAt',
      ],
    },
  )
  .map((message) => JSON.parse(JSON.stringify(message)) as unknown);

const altered = withOneFieldChanged(published, [
  'leadId',
  'email',
  'eventId',
  'globalPosition',
  'rulesetVersion',
  'scoredAt',
  'recomputed',
  'old',
  'new',
  'changes',
  'signals',
  'nextCrossingAt',
  'rescore',
  'extra',
]);

describe('isWellFormedScoreChange', () => {
  itAgreesWithItsSchema({
    check: isWellFormedScoreChange,
    schema: scoreChangedMessageSchema,
    published,
    altered,
    recognises:
      'every score change the scoring service publishes, so the projector skips the schema for them',
  });

  it('leaves to the schema what it would change or refuse', () => {
    const snapshotOf = (total: number) => ({
      engagement: total,
      fit: 0,
      total,
      grade: 'B' as const,
      temperature: 'warm',
    });
    const base: ScoreChangedMessage = {
      leadId: 'L1',
      email: 'ann@example.com',
      eventId: 'e1',
      globalPosition: '42',
      rulesetId: 'default',
      rulesetVersion: 1,
      occurredAt: '2024-05-01T10:00:00.000Z',
      scoredAt: '2024-05-01T10:00:00.000Z',
      recomputed: false,
      computedAt: '2024-05-01T10:00:01.000Z',
      old: null,
      new: snapshotOf(12),
      changes: ['score'],
      signals: { twoWay: false, twoWayAt: null },
      nextCrossingAt: null,
    };
    expect(isWellFormedScoreChange(base)).toBe(true);
    expect(isWellFormedScoreChange({ ...base, rescore: { jobId: 'rsj_1' } })).toBe(true);
    for (const variant of [
      { ...base, email: 'Ann@example.com' },
      { ...base, extra: 1 },
      { ...base, new: { ...snapshotOf(12), extra: 1 } },
      { ...base, new: { ...snapshotOf(12), grade: 'G' } },
      { ...base, old: { ...snapshotOf(12), temperature: '' } },
      { ...base, signals: { twoWay: true } },
      { ...base, signals: { twoWay: true, twoWayAt: '2024-05-01T12:00:00+02:00' } },
      { ...base, changes: [] },
      { ...base, changes: ['stage'] },
      { ...base, rescore: { jobId: '' } },
      { ...base, rescore: { jobId: 'j', extra: 1 } },
      { ...base, rulesetVersion: 0 },
      { ...base, globalPosition: 42 },
      { ...base, nextCrossingAt: '2024-02-30T00:00:00.000Z' },
      { ...base, leadId: ' L1' },
    ]) {
      expect(isWellFormedScoreChange(variant), JSON.stringify(variant)).toBe(false);
      expect(scoreChangedMessageSchema.safeParse(variant).data).not.toStrictEqual(variant);
    }
  });
});
