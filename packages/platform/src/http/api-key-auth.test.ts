import { describe, expect, it } from 'vitest';
import { bearerToken, createApiKeyAuthenticator, hashApiKey } from './api-key-auth.js';

const records = [
  { id: 'esp', sha256: hashApiKey('secret-esp').toString('hex'), scopes: ['ingest'] },
  { id: 'reader', sha256: hashApiKey('secret-reader').toString('hex'), scopes: ['read'] },
];

describe('createApiKeyAuthenticator', () => {
  const authenticate = createApiKeyAuthenticator(records);

  it('finds the key a secret belongs to, with its scopes', () => {
    expect(authenticate('secret-esp')).toEqual({ id: 'esp', scopes: new Set(['ingest']) });
    expect(authenticate('secret-reader')?.id).toBe('reader');
  });

  it('finds nothing for an unknown secret or a stored digest presented as the secret', () => {
    expect(authenticate('secret-es')).toBeUndefined();
    expect(authenticate(hashApiKey('secret-esp').toString('hex'))).toBeUndefined();
  });
});

describe('bearerToken', () => {
  it('reads the token of a Bearer header, any case of the scheme', () => {
    expect(bearerToken('Bearer abc.def')).toBe('abc.def');
    expect(bearerToken('bearer abc')).toBe('abc');
  });

  it('returns undefined for missing, empty or other schemes', () => {
    expect(bearerToken(undefined)).toBeUndefined();
    expect(bearerToken('Bearer ')).toBeUndefined();
    expect(bearerToken('Basic dXNlcjpwdw==')).toBeUndefined();
  });
});
