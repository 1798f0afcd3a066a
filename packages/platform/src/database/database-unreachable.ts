import type pg from 'pg';
import { displayDatabaseUrl } from './database-url-display.js';

/**
 * No connection to PostgreSQL could be opened at the address DATABASE_URL names: the server is
 * down or unreachable, the host is unknown, the database does not exist, or the login was
 * refused. Nothing ran. The message names the variable and the address, never the password,
 * so an operator knows which setting to check (as config errors name theirs).
 */
export class DatabaseUnreachableError extends Error {
  readonly code = 'DATABASE_UNREACHABLE';
  override readonly name = 'DatabaseUnreachableError';
  /** DATABASE_URL without its password (displayDatabaseUrl). */
  readonly database: string;
  /** What the driver or the server said. */
  readonly reason: string;

  constructor(databaseUrl: string, cause: unknown) {
    const database = displayDatabaseUrl(databaseUrl);
    const reason = cause instanceof Error ? cause.message : String(cause);
    super(`the database could not be reached: DATABASE_URL=${database} (${reason})`, { cause });
    this.database = database;
    this.reason = reason;
  }
}

/** Connects with `connect`; a failure becomes a DatabaseUnreachableError naming DATABASE_URL. */
export async function connectTo<T>(databaseUrl: string, connect: () => Promise<T>): Promise<T> {
  try {
    return await connect();
  } catch (error) {
    throw new DatabaseUnreachableError(databaseUrl, error);
  }
}

/**
 * Opens (and hands back) one pooled connection, so a process whose database cannot be reached
 * says so at start, rather than with the driver's bare error from whatever query came first.
 */
export async function reachDatabase(pool: pg.Pool, databaseUrl: string): Promise<void> {
  const client = await connectTo(databaseUrl, () => pool.connect());
  client.release();
}
