import type pg from 'pg';
import { guardConnectionLoss } from './checked-out-client.js';
import { type RelayOptions, startRelay } from './relay.js';
import type { AllSubscription } from './subscribe-to-all.js';
import { silentLogger } from './types.js';

// Two-key advisory locks keep apart from the stream locks ('est') and node-pg-migrate's one-key lock.
const relayLockClass = 0x726c79; // 'rly'

export interface LeaderRelayOptions extends RelayOptions {
  /** How often an instance that is not the leader tries to become it. Defaults to 5,000 ms. */
  readonly retryMs?: number;
}

export interface LeaderRelay {
  /** Whether this instance holds the lock and runs the relay now. */
  isLeader(): boolean;
  stop(): Promise<void>;
}

/**
 * Runs the relay in exactly one of the instances that start it. Every instance of the hosting
 * service may call this; the one holding a session advisory lock (on a connection kept for it)
 * relays, the others wait and take over when that connection goes away (crash, network, stop).
 * Two relays would not lose anything but would publish every event twice.
 *
 * Needs a pool of at least two connections (the lock holder plus the relay's work); the
 * single-process quickstart calls startRelay directly instead.
 */
export function startLeaderRelay(options: LeaderRelayOptions): LeaderRelay {
  const logger = options.logger ?? silentLogger;
  const subscriber = options.subscriber ?? 'relay';
  const retryMs = options.retryMs ?? 5_000;
  let stopping = false;
  let lockHolder: pg.PoolClient | undefined;
  let relay: AllSubscription | undefined;
  let wake: (() => void) | undefined;

  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, ms);
      wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });

  async function resign(error?: Error): Promise<void> {
    const client = lockHolder;
    lockHolder = undefined;
    await relay?.stop().catch((stopError: unknown) => logger.error({ err: stopError }, 'relay stop failed'));
    relay = undefined;
    if (!client) return;
    if (error) {
      client.release(error);
      return;
    }
    try {
      await client.query('SELECT pg_advisory_unlock($1::int, hashtext($2))', [relayLockClass, subscriber]);
      client.release();
    } catch (unlockError) {
      client.release(unlockError as Error);
    }
  }

  async function tryToLead(): Promise<void> {
    const client = await options.pool.connect();
    // Until the leadership's own listener below: the relay starts in between (see guardConnectionLoss).
    const guard = guardConnectionLoss(client);
    let locked = false;
    try {
      const { rows } = await client.query<{ locked: boolean }>(
        'SELECT pg_try_advisory_lock($1::int, hashtext($2)) AS locked',
        [relayLockClass, subscriber],
      );
      locked = rows[0]?.locked === true;
    } finally {
      if (!locked) {
        guard.end();
        client.release(guard.lost());
      }
    }
    if (!locked) return;
    try {
      relay = await startRelay(options);
    } catch (error) {
      // Give the lock back, or this instance would hold it without relaying, and nobody would.
      guard.end();
      client.release(error as Error);
      throw error;
    }
    lockHolder = client;
    guard.end();
    // The lock lives as long as this connection: losing it means another instance may lead now.
    const lose = (error: Error) => {
      logger.warn({ err: error, subscriber }, 'relay leadership connection lost; resigning');
      void resign(error).then(() => wake?.());
    };
    client.on('error', lose);
    const lostWhileStarting = guard.lost();
    if (lostWhileStarting !== undefined) return lose(lostWhileStarting);
    logger.info({ subscriber }, 'this instance leads the relay');
  }

  const loop = (async () => {
    while (!stopping) {
      if (!lockHolder) {
        await tryToLead().catch((error: unknown) =>
          logger.warn({ err: error, subscriber }, 'could not try for relay leadership'),
        );
      }
      await sleep(retryMs);
    }
  })();

  return {
    isLeader: () => lockHolder !== undefined,
    async stop() {
      stopping = true;
      wake?.();
      await loop;
      await resign();
    },
  };
}
