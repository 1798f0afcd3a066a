import pg from 'pg';

/** One connection attempt: resolves with the server's answer to a query, rejects when it cannot connect. */
export async function queryOnce<T extends pg.QueryResultRow>(
  url: string,
  sql: string,
  timeoutMs = 2_000,
): Promise<T[]> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: timeoutMs });
  // A refused connection also emits 'error' on some pg versions; connect() already rejects with it.
  client.on('error', () => {});
  try {
    await client.connect();
    const result = await client.query<T>(sql);
    return result.rows;
  } finally {
    await client.end().catch(() => {});
  }
}

/** Polls until the server accepts a connection; `gaveUp` ends the wait early (the process died). */
export async function waitForPostgres(
  url: string,
  options: { timeoutMs: number; gaveUp?: () => string | undefined },
): Promise<{ ready: true } | { ready: false; reason: string }> {
  const deadline = Date.now() + options.timeoutMs;
  let lastError = 'no attempt yet';
  while (Date.now() < deadline) {
    const reason = options.gaveUp?.();
    if (reason) return { ready: false, reason };
    try {
      await queryOnce(url, 'SELECT 1');
      return { ready: true };
    } catch (error) {
      lastError = (error as Error).message;
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return { ready: false, reason: `not accepting connections after ${options.timeoutMs} ms (${lastError})` };
}
