import { EventEmitter } from 'node:events';
import type pg from 'pg';
import { describe, expect, it } from 'vitest';
import { guardConnectionLoss } from './checked-out-client.js';

const checkedOut = () => new EventEmitter() as unknown as pg.PoolClient;

describe('guardConnectionLoss', () => {
  it('keeps the first connection error instead of letting it escape', () => {
    const client = checkedOut();
    const guard = guardConnectionLoss(client);
    const cut = new Error('terminating connection due to administrator command');
    expect(() => client.emit('error', cut)).not.toThrow();
    client.emit('error', new Error('later'));
    expect(guard.lost()).toBe(cut);
  });

  it('reports nothing while the connection holds', () => {
    expect(guardConnectionLoss(checkedOut()).lost()).toBeUndefined();
  });

  it('stops listening when ended, leaving the client as it found it', () => {
    const client = checkedOut();
    guardConnectionLoss(client).end();
    expect(client.listenerCount('error')).toBe(0);
    // An error nobody listens for is thrown, as for any emitter: the guard is really gone.
    expect(() => client.emit('error', new Error('unheard'))).toThrow('unheard');
  });
});
