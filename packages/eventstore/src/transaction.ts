import type pg from 'pg';
import { guardConnectionLoss } from './checked-out-client.js';
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
  return atomicallyOpenedWith(db, operation, undefined, (client) => work(client));
}

/**
 * `atomically`, with the statements `opening` gives (SQL without parameters, asked for once the
 * client is in hand: it may prepare statements on it first) sent after the BEGIN as one simple
 * query: the transaction's first statements cost no round trip of their own. They run inside the
 * transaction, before `work`, which gets their results in order. Each statement of
 * a simple query takes its own snapshot, so one that follows a lock statement sees what the
 * lock's previous holder committed, as if it had been sent alone.
 */
export async function atomicallyOpenedWith<T>(
  db: Queryable,
  operation: string,
  opening: Opening | undefined,
  work: (client: pg.ClientBase, opened: readonly pg.QueryResult[]) => Promise<T>,
): Promise<T> {
  if (isPool(db)) return inOwnTransaction(db, opening, work);
  return underSavepoint(db, operation, opening, work);
}

/** The first statements of a transaction, for the client that will run them. */
export type Opening = (client: pg.ClientBase) => Promise<string>;

/** A simple query answers with one result per statement; pg unwraps a single one. */
async function run(client: pg.ClientBase, sql: string): Promise<pg.QueryResult[]> {
  const result = (await client.query(sql)) as pg.QueryResult | pg.QueryResult[];
  return Array.isArray(result) ? result : [result];
}

async function inOwnTransaction<T>(
  pool: pg.Pool,
  opening: Opening | undefined,
  work: (client: pg.ClientBase, opened: readonly pg.QueryResult[]) => Promise<T>,
): Promise<T> {
  const client = await pool.connect();
  const guard = guardConnectionLoss(client);
  let broken: Error | undefined;
  try {
    const first = opening === undefined ? undefined : await opening(client);
    const opened = (await run(client, first === undefined ? 'BEGIN' : `BEGIN; ${first}`)).slice(1);
    const result = await work(client, opened);
    await client.query('COMMIT');
    return result;
  } catch (error) {
    await client.query('ROLLBACK').catch((rollbackError: Error) => {
      broken = rollbackError;
    });
    throw error;
  } finally {
    // A client whose rollback failed, or whose connection was lost, is in an unknown state:
    // destroy it instead of pooling it.
    guard.end();
    client.release(broken ?? guard.lost());
  }
}

async function underSavepoint<T>(
  client: pg.ClientBase,
  operation: string,
  opening: Opening | undefined,
  work: (client: pg.ClientBase, opened: readonly pg.QueryResult[]) => Promise<T>,
): Promise<T> {
  let saved = false;
  try {
    await client.query('SAVEPOINT eventstore_operation');
    saved = true;
    // Apart from the SAVEPOINT: that one must fail outside a transaction, not open one.
    const opened = opening === undefined ? [] : await run(client, await opening(client));
    const result = await work(client, opened);
    await client.query('RELEASE SAVEPOINT eventstore_operation');
    return result;
  } catch (error) {
    if (!saved) {
      if ((error as { code?: string }).code === noActiveTransaction)
        throw new NotInTransactionError(operation);
      throw error;
    }
    await client.query('ROLLBACK TO SAVEPOINT eventstore_operation');
    await client.query('RELEASE SAVEPOINT eventstore_operation');
    throw error;
  }
}
