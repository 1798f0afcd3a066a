import { createHash, randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';

/**
 * A newcomer should be able to post an event in the first minute, and the services never accept
 * unauthenticated requests. So the quickstart makes one local key with every scope on first start,
 * keeps it under .leadscore/ (a developer's own machine, never a deployment) and prints it.
 */
export interface QuickstartKey {
  readonly key: string;
  /** Env entry in the `<key id>:<sha256 hex>:<scope>[+<scope>...]` format of INGEST_API_KEYS / API_KEYS. */
  envEntry(scopes: readonly string[]): string;
}

export function loadOrCreateQuickstartKey(path: string): QuickstartKey {
  let key = existsSync(path) ? readFileSync(path, 'utf8').trim() : '';
  if (key === '') {
    key = `lsq_${randomBytes(24).toString('base64url')}`;
    writeFileSync(path, `${key}\n`, { mode: 0o600 });
  }
  const sha256 = createHash('sha256').update(key).digest('hex');
  return { key, envEntry: (scopes) => `quickstart:${sha256}:${scopes.join('+')}` };
}
