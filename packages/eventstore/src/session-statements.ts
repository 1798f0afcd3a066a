import type pg from 'pg';

/** Statements to PREPARE on a connection: name -> `(parameter types) AS statement`. */
export type SessionStatements = Readonly<Record<string, string>>;

/**
 * A function that prepares `statements` (SQL PREPARE, by name) on a connection that lacks them,
 * so that a transaction's opening can EXECUTE them inside a simple query with literal arguments:
 * several statements in one round trip, none parsed or planned again. `key` names the set; the
 * mark lives on the client under a registered symbol, so two copies of a module share it.
 *
 * It asks the server which it has rather than trusting memory alone: a PREPARE outlives a
 * rolled-back transaction, and preparing a name twice would fail (and, inside a caller's
 * transaction, abort it). Needs session pooling: a transaction-mode pooler would hand the
 * statements' session to someone else.
 */
export function sessionStatements(
  key: string,
  statements: SessionStatements,
): (client: pg.ClientBase) => Promise<void> {
  const prepared = Symbol.for(`leadscore.prepared.${key}`);
  const names = Object.keys(statements);
  return async (client) => {
    const marked = client as unknown as Record<symbol, true | undefined>;
    if (marked[prepared]) return;
    const { rows } = await client.query<{ name: string }>(
      'SELECT name FROM pg_prepared_statements WHERE name = ANY ($1::text[])',
      [names],
    );
    const present = new Set(rows.map((row) => row.name));
    const missing = Object.entries(statements).filter(([name]) => !present.has(name));
    if (missing.length > 0)
      await client.query(missing.map(([name, sql]) => `PREPARE ${name} ${sql}`).join(';\n'));
    marked[prepared] = true;
  };
}
