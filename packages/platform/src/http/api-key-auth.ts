import { createHash, timingSafeEqual } from 'node:crypto';
import type { ApiKeyEntry } from '../config/api-key-list.js';

/** One configured API key (an entry of INGEST_API_KEYS or API_KEYS): its SHA-256 digest, never the key. */
export type ConfiguredApiKey = Pick<ApiKeyEntry, 'id' | 'sha256'> & { readonly scopes: readonly string[] };

export interface AuthenticatedKey {
  readonly id: string;
  readonly scopes: ReadonlySet<string>;
}

export function hashApiKey(secret: string): Buffer {
  return createHash('sha256').update(secret, 'utf8').digest();
}

/** The token of an `Authorization: Bearer <token>` header, or undefined when absent or malformed. */
export function bearerToken(authorization: string | undefined): string | undefined {
  if (!authorization) return undefined;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization);
  return match?.[1];
}

/**
 * Finds the key a presented secret belongs to. Every stored digest is compared, with
 * timingSafeEqual and without an early exit, so the time taken reveals neither which key
 * matched nor how much of a digest did.
 */
export function createApiKeyAuthenticator(keys: readonly ConfiguredApiKey[]) {
  const records = keys.map((key) => ({
    id: key.id,
    digest: Buffer.from(key.sha256, 'hex'),
    scopes: new Set(key.scopes),
  }));
  return function authenticate(presented: string): AuthenticatedKey | undefined {
    const digest = hashApiKey(presented);
    let found: AuthenticatedKey | undefined;
    for (const record of records) {
      const equal = record.digest.length === digest.length && timingSafeEqual(record.digest, digest);
      if (equal && !found) found = { id: record.id, scopes: record.scopes };
    }
    return found;
  };
}

export type ApiKeyAuthenticator = ReturnType<typeof createApiKeyAuthenticator>;
