import type { Queryable } from '../database/migrations.js';

/** A dependency the service cannot do its work without; /readyz fails while any check fails. */
export interface ReadinessCheck {
  readonly name: string;
  /** Resolves when the dependency answers; rejects with the reason otherwise. */
  check(): Promise<void>;
}

export function postgresReadiness(db: Queryable): ReadinessCheck {
  return {
    name: 'postgres',
    check: async () => {
      await db.query('SELECT 1');
    },
  };
}

/** Any Bus (Kafka adapter or in-process) answers healthCheck(). */
export function busReadiness(bus: { healthCheck(): Promise<void> }): ReadinessCheck {
  return { name: 'kafka', check: () => bus.healthCheck() };
}

export interface CheckOutcome {
  readonly status: 'up' | 'down';
  readonly durationMs: number;
  readonly error?: string;
}

export class CheckTimeoutError extends Error {
  readonly code = 'READINESS_CHECK_TIMEOUT';
  override readonly name = 'CheckTimeoutError';

  constructor(
    readonly check: string,
    readonly timeoutMs: number,
  ) {
    super(`timed out after ${timeoutMs} ms`);
  }
}

/** Runs all checks in parallel; each is cut off after timeoutMs so a hung dependency cannot hang /readyz. */
export async function runReadinessChecks(
  checks: readonly ReadinessCheck[],
  timeoutMs: number,
): Promise<Record<string, CheckOutcome>> {
  const outcomes = await Promise.all(
    checks.map(async (check): Promise<[string, CheckOutcome]> => {
      const started = performance.now();
      const elapsed = () => Math.round(performance.now() - started);
      try {
        await withTimeout(check.check(), timeoutMs, check.name);
        return [check.name, { status: 'up', durationMs: elapsed() }];
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        return [check.name, { status: 'down', durationMs: elapsed(), error: message }];
      }
    }),
  );
  return Object.fromEntries(outcomes);
}

async function withTimeout(work: Promise<void>, timeoutMs: number, name: string): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new CheckTimeoutError(name, timeoutMs)), timeoutMs);
  });
  try {
    await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
