import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Where `npm start` (the quickstart) answers and the key it made, found from the variables the
 * quickstart itself reads: LEADSCORE_PORT_BASE (the api on the base port, the webhook on the
 * next; 3000 and 3001 without it) and LEADSCORE_HOME (its data folder, `.leadscore`, which holds
 * the key in `api-key`). The CLI and `pnpm demo` default to it, so a newcomer types no URL or key.
 */
export interface LocalQuickstart {
  readonly apiUrl: string;
  readonly webhookUrl: string;
  readonly keyFile: string;
}

type Env = Readonly<Record<string, string | undefined>>;

export function localQuickstart(env: Env): LocalQuickstart {
  const base = env.LEADSCORE_PORT_BASE === undefined ? undefined : portBase(env.LEADSCORE_PORT_BASE);
  const port = (offset: number, fallback: number) => (base === undefined ? fallback : base + offset);
  return {
    apiUrl: `http://127.0.0.1:${port(0, 3000)}`,
    webhookUrl: `http://127.0.0.1:${port(1, 3001)}`,
    keyFile: join(env.LEADSCORE_HOME ?? '.leadscore', 'api-key'),
  };
}

// The quickstart takes four ports from the base on.
const MAX_PORT_BASE = 65_532;

function portBase(value: string): number {
  const base = Number(value);
  if (!/^\d+$/.test(value.trim()) || base < 1 || base > MAX_PORT_BASE)
    throw new Error(`LEADSCORE_PORT_BASE must be a port number from 1 to ${MAX_PORT_BASE}, not "${value}"`);
  return base;
}

/** The key in `keyFile`, or undefined when there is none (no quickstart has run here). */
export function readQuickstartKey(keyFile: string): string | undefined {
  try {
    return readFileSync(keyFile, 'utf8').trim() || undefined;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}
