/**
 * Wakes every waiting consumer loop when something they might act on changed (a publish, a
 * commit, a member joining or leaving, a stop). Waiters re-check their own conditions, so a
 * spurious wake-up costs one scan and a missed one is impossible: a loop decides to wait and
 * registers its waiter in the same synchronous step.
 */
export class WakeSignal {
  private waiters = new Set<() => void>();

  /** Resolves on the next notify(), or after `timeoutMs` when given. */
  wait(timeoutMs?: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = timeoutMs === undefined ? undefined : setTimeout(done, timeoutMs);
      const waiters = this.waiters;
      function done(): void {
        clearTimeout(timer);
        waiters.delete(done);
        resolve();
      }
      waiters.add(done);
    });
  }

  notify(): void {
    for (const waiter of [...this.waiters]) waiter();
  }
}
