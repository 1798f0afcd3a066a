import { createHmac, timingSafeEqual } from 'node:crypto';

export const SIGNATURE_HEADER = 'x-leadscore-signature';
export const TIMESTAMP_HEADER = 'x-leadscore-timestamp';
const SCHEME = 'sha256=';

export type SignatureRejection =
  | 'missing-signature'
  | 'missing-timestamp'
  | 'stale-timestamp'
  | 'bad-signature';

export type SignatureCheck =
  | { readonly ok: true }
  | { readonly ok: false; readonly reason: SignatureRejection };

export interface SignatureInput {
  readonly secret: string;
  /** Unix time in seconds, as sent in the timestamp header. */
  readonly timestamp: string | undefined;
  /** `sha256=<hex>`, as sent in the signature header. */
  readonly signature: string | undefined;
  readonly body: Buffer;
  readonly nowMs: number;
  /** How far the sender's clock may be from ours, either way, before a request counts as replayed. */
  readonly toleranceMs: number;
}

/** The signature a sender puts in the header: HMAC-SHA256 over `timestamp.body`, hex. */
export function signWebhookBody(secret: string, timestamp: string, body: Buffer | string): string {
  return `${SCHEME}${createHmac('sha256', secret).update(`${timestamp}.`).update(body).digest('hex')}`;
}

/**
 * Checks a webhook signature. The timestamp is part of the signed bytes, so a captured request
 * cannot be replayed with a fresh timestamp, and the window bounds how long a replay of the
 * unchanged request is accepted.
 */
export function verifyWebhookSignature(input: SignatureInput): SignatureCheck {
  if (!input.signature) return { ok: false, reason: 'missing-signature' };
  if (!input.timestamp || !/^\d{1,12}$/.test(input.timestamp))
    return { ok: false, reason: 'missing-timestamp' };
  const sentAtMs = Number(input.timestamp) * 1000;
  if (Math.abs(input.nowMs - sentAtMs) > input.toleranceMs) return { ok: false, reason: 'stale-timestamp' };
  const expected = Buffer.from(signWebhookBody(input.secret, input.timestamp, input.body));
  const presented = Buffer.from(input.signature);
  const valid = presented.length === expected.length && timingSafeEqual(presented, expected);
  return valid ? { ok: true } : { ok: false, reason: 'bad-signature' };
}
