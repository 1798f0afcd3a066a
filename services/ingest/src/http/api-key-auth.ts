import { createHash, timingSafeEqual } from 'node:crypto';

/** One configured API key as held in memory: only its SHA-256 digest, never the secret itself. */
export interface ApiKeyRecord {
  readonly id: string;
  readonly sha256: Buffer;
  readonly scopes: ReadonlySet<string>;
}

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
export function createApiKeyAuthenticator(records: readonly ApiKeyRecord[]) {
  return function authenticate(presented: string): AuthenticatedKey | undefined {
    const digest = hashApiKey(presented);
    let found: ApiKeyRecord | undefined;
    for (const record of records) {
      const equal = record.sha256.length === digest.length && timingSafeEqual(record.sha256, digest);
      if (equal && !found) found = record;
    }
    return found ? { id: found.id, scopes: found.scopes } : undefined;
  };
}

export type ApiKeyAuthenticator = ReturnType<typeof createApiKeyAuthenticator>;
