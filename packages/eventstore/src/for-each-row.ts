import pg from 'pg';
import type { Queryable } from './types.js';

/**
 * Runs a query and hands each row to `visit` as the driver parses it, without collecting the
 * result; resolves with the number of rows once the query has ended.
 *
 * Why: what a row leads to can be computed while the row is still young and the row dropped
 * after it. A collected result keeps every row alive until the last one has arrived, so the
 * collector copies and promotes all of them; visited one by one, most die in the young
 * generation (a rescoring batch folded this way cost node about 15% less CPU per event).
 *
 * A throw from `visit` does not escape into the driver, whose connection would be left mid-message:
 * the remaining rows are read and dropped, and the promise rejects with the first error once the
 * query has ended, leaving the connection usable.
 */
export async function forEachRow<Row>(
  db: Queryable,
  text: string,
  values: readonly unknown[],
  visit: (row: Row) => void,
): Promise<number> {
  if (db instanceof pg.Pool) {
    const client = await db.connect();
    try {
      return await forEachRowOn(client, text, values, visit);
    } finally {
      client.release();
    }
  }
  return forEachRowOn(db, text, values, visit);
}

function forEachRowOn<Row>(
  client: pg.ClientBase,
  text: string,
  values: readonly unknown[],
  visit: (row: Row) => void,
): Promise<number> {
  return new Promise((resolve, reject) => {
    // With a 'row' listener and no callback, the driver does not collect the rows.
    const query = new pg.Query(text, [...values]);
    let rows = 0;
    let failure: { readonly error: unknown } | undefined;
    query.on('row', (row: Row) => {
      if (failure !== undefined) return;
      try {
        visit(row);
        rows += 1;
      } catch (error) {
        failure = { error };
      }
    });
    query.on('error', reject);
    query.on('end', () => (failure === undefined ? resolve(rows) : reject(failure.error)));
    client.query(query);
  });
}
