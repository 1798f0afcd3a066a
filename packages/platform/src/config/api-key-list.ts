import { z } from 'zod';

/**
 * One configured API key. Only the SHA-256 of the key is configured, so a leaked
 * environment does not leak usable credentials; requests are matched by hashing
 * the presented key.
 */
export const ApiKeyEntry = z.object({
  id: z.string().regex(/^[A-Za-z0-9._-]+$/, 'key id may only contain letters, digits, ".", "_" and "-"'),
  sha256: z.string().regex(/^[0-9a-f]{64}$/, 'must be 64 lower-case hex characters (a SHA-256)'),
  scopes: z
    .array(z.string().regex(/^[a-z]+(\.[a-z]+)*$/, 'must be dotted lower-case words, e.g. events.write'))
    .min(1, 'needs at least one scope'),
});
export type ApiKeyEntry = z.infer<typeof ApiKeyEntry>;

const ENTRY_FORMAT = '<key id>:<sha256 hex>:<scope>[+<scope>...]';

/** Comma-separated `<key id>:<sha256 hex>:<scope>[+<scope>...]` entries. */
export const apiKeyList = z
  .string()
  .transform((value, ctx) => {
    const entries = value
      .split(',')
      .map((entry) => entry.trim())
      .filter((entry) => entry !== '');
    return entries.map((entry, index) => {
      const parts = entry.split(':');
      if (parts.length !== 3) {
        // The entry itself is not echoed: it would end up in logs.
        ctx.issues.push({ code: 'custom', input: value, message: `entry ${index} is not ${ENTRY_FORMAT}` });
      }
      const [id = '', sha256 = '', scopes = ''] = parts;
      return { id, sha256, scopes: scopes === '' ? [] : scopes.split('+') };
    });
  })
  .pipe(z.array(ApiKeyEntry).min(1, 'must list at least one key'));
