import { describe, expect, it } from 'vitest';
import {
  emailLeadId,
  leadIdFromStreamId,
  leadIdSchema,
  leadKeyOf,
  leadRefSchema,
  leadStreamId,
} from './lead-key.js';

describe('leadKeyOf', () => {
  it('uses the caller lead id when there is one, even beside an email', () => {
    expect(leadKeyOf(leadRefSchema.parse({ id: 'crm:42', email: 'a@b.io' }))).toBe('crm:42');
  });

  it('derives the same id from any spelling of the same email', () => {
    const a = leadKeyOf(leadRefSchema.parse({ email: ' Ann@Example.com' }));
    const b = leadKeyOf(leadRefSchema.parse({ email: 'ann@example.COM ' }));
    expect(a).toBe(b);
    expect(a).toMatch(/^em_[0-9a-f]{32}$/);
    expect(a).not.toBe(emailLeadId('bob@example.com'));
  });

  it('gives a derived id that is itself a valid lead id, so callers can send it back', () => {
    const derived = emailLeadId('ann@example.com');
    expect(leadIdSchema.parse(derived)).toBe(derived);
    expect(leadKeyOf(leadRefSchema.parse({ id: derived }))).toBe(derived);
  });
});

describe('lead streams', () => {
  it('round-trips a lead id through its stream id and ignores other streams', () => {
    expect(leadIdFromStreamId(leadStreamId('crm:42'))).toBe('crm:42');
    expect(leadIdFromStreamId('ruleset-3')).toBeUndefined();
  });
});
