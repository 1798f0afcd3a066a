import type pg from 'pg';

/** A checked-out client's connection error, kept until the client goes back to the pool. */
export interface ConnectionLossGuard {
  /** The error the connection reported while guarded, if any. */
  lost(): Error | undefined;
  /** Stops listening (before the client is released, or handed to a listener of its own). */
  end(): void;
}

/**
 * A client checked out of a pg pool has no listener for connection errors between its queries:
 * the pool takes its own off while the client is out. A connection cut in such a moment (a
 * database restart or failover, pg_terminate_backend) is then an uncaught exception that ends the
 * process. The guard keeps the error instead: the client's next query fails with it anyway, and
 * releasing the client with `lost()` makes the pool discard the connection.
 */
export function guardConnectionLoss(client: pg.PoolClient): ConnectionLossGuard {
  let lost: Error | undefined;
  const keep = (error: Error) => {
    lost ??= error;
  };
  client.on('error', keep);
  return {
    lost: () => lost,
    end: () => {
      client.removeListener('error', keep);
    },
  };
}
