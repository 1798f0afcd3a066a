import type pg from 'pg';

/**
 * PGlite is ONE PostgreSQL session, and the socket server in front of it (embedded-postgres.ts)
 * gives that same session to every connection: whatever a connection leaves in it outlives the
 * connection. pg's pool replaces its connection after any failed `pool.query`, after 30 s idle and
 * when one is lost, and the new client assumes, as it may with a real server, a fresh session.
 * It does not know that the statements it names (`{ name, text }`, such as the event store's
 * insert) are still prepared, so it prepares them again, and every later use fails with
 * "prepared statement ... already exists" until a restart.
 *
 * So a new connection first makes the session what a fresh one is, as a pooler does between two
 * clients of one server connection: DISCARD ALL drops prepared statements, cursors, temporary
 * tables, session settings, LISTENs and advisory locks. That is safe only because nothing else
 * uses the session meanwhile: the quickstart's pool has one connection, the old one has finished
 * its last statement before it is replaced, and the socket server holds a new connection's
 * statements back while another connection's transaction is open (and rolls that one back when
 * its connection closes).
 */
export async function startFreshSession(client: pg.ClientBase): Promise<void> {
  await client.query('DISCARD ALL');
}
