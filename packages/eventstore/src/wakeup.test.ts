import { describe, expect, it } from 'vitest';
import { Wakeup } from './wakeup.js';

describe('Wakeup', () => {
  it('ends a sleep early when poked', async () => {
    const wakeup = new Wakeup();
    const started = Date.now();
    const sleeping = wakeup.sleep(10_000);
    wakeup.poke();
    await sleeping;
    expect(Date.now() - started).toBeLessThan(1_000);
  });

  it('remembers a poke that came while nobody slept, once', async () => {
    const wakeup = new Wakeup();
    wakeup.poke();
    const started = Date.now();
    await wakeup.sleep(10_000);
    expect(Date.now() - started).toBeLessThan(1_000);
    // the poke was used up: the next sleep lasts its full time
    const again = Date.now();
    await wakeup.sleep(200);
    expect(Date.now() - again).toBeGreaterThanOrEqual(190);
  });

  it('tells whether a poke waits, until a sleep uses it up', async () => {
    const wakeup = new Wakeup();
    expect(wakeup.pending()).toBe(false);
    wakeup.poke();
    expect(wakeup.pending()).toBe(true);
    await wakeup.sleep(10_000);
    expect(wakeup.pending()).toBe(false);
    const sleeping = wakeup.sleep(10_000);
    wakeup.poke();
    await sleeping;
    // a poke that ended a sleep is not kept for the next one
    expect(wakeup.pending()).toBe(false);
  });
});
