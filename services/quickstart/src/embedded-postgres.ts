import { PGlite } from '@electric-sql/pglite';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';

/**
 * PostgreSQL for the quickstart only: PGlite (PostgreSQL compiled to WASM, in this process)
 * served on a loopback port with the wire protocol, so `pg` and node-pg-migrate talk to it
 * exactly as they talk to a real server. It runs one query at a time, so callers must use a
 * pool of one connection (a transaction on one client awaiting another client would wait forever).
 * And it has one session, which every connection shares: a new connection must start by
 * resetting it (shared-session.ts).
 */
export interface EmbeddedPostgres {
  readonly url: string;
  stop(): Promise<void>;
}

export async function startEmbeddedPostgres(dataDir: string): Promise<EmbeddedPostgres> {
  const db = await PGlite.create(dataDir);
  const server = new PGLiteSocketServer({ db, host: '127.0.0.1', port: 0, maxConnections: 8 });
  try {
    await server.start();
  } catch (error) {
    await db.close();
    throw error;
  }
  return {
    url: `postgres://postgres@${server.getServerConn()}/postgres`,
    async stop() {
      await server.stop();
      await db.close();
    },
  };
}
