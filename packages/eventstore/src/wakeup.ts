/**
 * A sleep that ends early when poked. A poke that arrives while nobody sleeps is remembered, so a
 * NOTIFY received during a batch is not lost: the next sleep returns at once.
 */
export class Wakeup {
  private poked = false;
  private wake: (() => void) | undefined;

  /** Whether a poke is waiting: the next sleep returns at once. */
  pending(): boolean {
    return this.poked;
  }

  poke(): void {
    this.poked = true;
    this.wake?.();
  }

  sleep(ms: number): Promise<void> {
    if (this.poked) {
      this.poked = false;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      const self = this;
      function done(): void {
        clearTimeout(timer);
        self.wake = undefined;
        self.poked = false;
        resolve();
      }
      this.wake = done;
    });
  }
}
