import { describe, expect, it } from 'vitest';
import { Instant, InstantParameter } from './common-schemas.js';

const RANGE_MESSAGE =
  'must be between 0001-01-01T00:00:00Z and 9999-12-31T23:59:59.999Z once converted to UTC';

describe('InstantParameter', () => {
  it('reads any ISO-8601 date-time with an offset as epoch ms, up to the first and last instant of years 1 to 9999', () => {
    expect(InstantParameter.parse('2026-03-01T10:00:00+01:00')).toBe(Date.parse('2026-03-01T09:00:00Z'));
    for (const bound of ['0001-01-01T00:00:00Z', '9999-12-31T23:59:59.999Z', '0001-01-01T01:00:00+01:00']) {
      const epochMs = InstantParameter.parse(bound);
      // Whatever it admits, a response can name again.
      expect(Instant.safeParse(new Date(epochMs).toISOString()).success, bound).toBe(true);
    }
  });

  it('refuses a date-time an offset moves out of years 1 to 9999, whose ISO string needs a 5-digit or signed year', () => {
    for (const outside of [
      '9999-12-31T23:59:59-23:59',
      '9999-12-31T23:59:59.999-00:01',
      '0001-01-01T00:00:00+00:01',
      '0000-06-01T00:00:00Z',
    ]) {
      const result = InstantParameter.safeParse(outside);
      expect(result.success, outside).toBe(false);
      expect(result.error?.issues.map((issue) => issue.message)).toEqual([RANGE_MESSAGE]);
    }
  });

  it('refuses what is no date-time with an offset', () => {
    for (const notAnInstant of ['yesterday', '2026-03-01', '2026-03-01T10:00:00', '2026-02-30T00:00:00Z']) {
      expect(InstantParameter.safeParse(notAnInstant).error?.issues[0]?.message, notAnInstant).toBe(
        'must be an ISO-8601 date-time with an offset, e.g. 2024-05-01T10:00:00Z',
      );
    }
  });
});
