import type pg from 'pg';
import { NotInTransactionError } from './errors.js';
import type { Queryable } from './types.js';

function isPool(db: Queryable): db is pg.Pool {
  // Duck-typed: pnpm may hand different packages different copies of pg, so instanceof lies.
  return 'totalCount' in db && 'idleCount' in db;
}

const noActiveTransaction = '25P01';

/**
 * Runs `work` atomically. Given a pool: in a transaction of its own on one client. Given a
 * client: inside the caller's transaction, under a savepoint, so a failure (say a version
 * conflict) undoes only this operation and the caller may go on; a client outside any
 * transaction is refused rather than silently autocommitting statement by statement.
 */
export async function atomically<T>(
  db: Queryable,
  operation: string,
  work: (client: pg.ClientBase) => Promise<T>,
): Promise<T> {
  if (isPool(db)) return inOwnTransaction(db, work);
  return underSavepoint(db, operation, work);
}

async function inOwnTransaction<T>(pool: pg.Pool, work: (client: pg.ClientBase) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  let broken: Error | undefined;
  try {
    await client.query('BEGIN');
    const result = await work(client);
    await client.query('COMMIT');
    return result;
  } catch (error) {
    await client.query('ROLLBACK').catch((rollbackError: Error) => {
      broken = rollbackError;
    });
    throw error;
  } finally {
    // A client whose rollback failed is in an unknown state: destroy it instead of pooling it.
    client.release(broken);
  }
}

async function underSavepoint<T>(
  client: pg.ClientBase,
  operation: string,
  work: (client: pg.ClientBase) => Promise<T>,
): Promise<T> {
  try {
    await client.query('SAVEPOINT eventstore_operation');
  } catch (error) {
    if ((error as { code?: string }).code === noActiveTransaction) throw new NotInTransactionError(operation);
    throw error;
  }
  try {
    const result = await work(client);
    await client.query('RELEASE SAVEPOINT eventstore_operation');
    return result;
  } catch (error) {
    await client.query('ROLLBACK TO SAVEPOINT eventstore_operation');
    await client.query('RELEASE SAVEPOINT eventstore_operation');
    throw error;
  }
}
