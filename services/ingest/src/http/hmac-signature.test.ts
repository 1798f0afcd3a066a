import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { signWebhookBody, verifyWebhookSignature } from './hmac-signature.js';

const secret = 'whsec_test';
const nowMs = Date.UTC(2026, 0, 15, 12, 0, 0);
const nowSeconds = String(nowMs / 1000);
const body = Buffer.from('{"type":"email.opened"}');
const toleranceMs = 300_000;

function check(overrides: Partial<Parameters<typeof verifyWebhookSignature>[0]>) {
  return verifyWebhookSignature({
    secret,
    timestamp: nowSeconds,
    signature: signWebhookBody(secret, nowSeconds, body),
    body,
    nowMs,
    toleranceMs,
    ...overrides,
  });
}

describe('verifyWebhookSignature', () => {
  it('accepts a body signed with the secret at a current timestamp', () => {
    expect(check({})).toEqual({ ok: true });
  });

  it('names what is wrong', () => {
    expect(check({ signature: undefined })).toEqual({ ok: false, reason: 'missing-signature' });
    expect(check({ timestamp: undefined })).toEqual({ ok: false, reason: 'missing-timestamp' });
    expect(check({ timestamp: 'yesterday' })).toEqual({ ok: false, reason: 'missing-timestamp' });
    expect(check({ signature: signWebhookBody('other', nowSeconds, body) })).toEqual({
      ok: false,
      reason: 'bad-signature',
    });
  });

  it('refuses a timestamp outside the window, either way, even when correctly signed', () => {
    fc.assert(
      fc.property(fc.integer({ min: -100_000, max: 100_000 }), fc.boolean(), (offsetSeconds, signedFresh) => {
        const timestamp = String(nowMs / 1000 + offsetSeconds);
        const result = check({
          timestamp,
          signature: signWebhookBody(secret, signedFresh ? timestamp : nowSeconds, body),
        });
        const inWindow = Math.abs(offsetSeconds) * 1000 <= toleranceMs;
        if (!inWindow) expect(result).toEqual({ ok: false, reason: 'stale-timestamp' });
        else expect(result.ok).toBe(signedFresh || offsetSeconds === 0);
      }),
    );
  });

  it('refuses a body changed after signing', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 1, maxLength: 64 }), (bytes) => {
        const tampered = Buffer.concat([body, Buffer.from(bytes)]);
        expect(check({ body: tampered })).toEqual({ ok: false, reason: 'bad-signature' });
      }),
    );
  });
});
