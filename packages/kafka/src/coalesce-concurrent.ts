/**
 * Runs the items submitted in the same turn of the event loop through shared calls of `work`,
 * each call holding items of at most `maxWeight` in all (an item heavier than that alone), and
 * settles each submitter with the outcome of its call. When a shared call fails, each of its items
 * is run alone, so an item that cannot succeed fails only its own submitter.
 *
 * Why: a consumer of several partitions side by side gets the small batches of one fetch at once.
 * Handled in one transaction (the scorer also publishes them together), they pay the fixed cost of
 * a batch (a dozen statements and round trips) once instead of once per partition. The scorer's
 * weight cap keeps a shared call as small as one publish request: the messages of a call go out
 * one request after the other, so a call holding a backlog would publish slower than the
 * separate calls, whose requests the bus merges.
 */
export function coalesceConcurrent<T>(
  work: (items: readonly T[]) => Promise<void>,
  weight: (item: T) => number,
  maxWeight: number,
): (item: T) => Promise<void> {
  type Submitter = { item: T; resolve: () => void; reject: (error: unknown) => void };
  let waiting: Submitter[] = [];

  async function run(group: readonly Submitter[]): Promise<void> {
    try {
      await work(group.map(({ item }) => item));
      for (const submitter of group) submitter.resolve();
    } catch (error) {
      if (group.length === 1) {
        group[0]!.reject(error);
        return;
      }
      await Promise.all(group.map(({ item, resolve, reject }) => work([item]).then(resolve, reject)));
    }
  }

  function flush(): void {
    const groups: Submitter[][] = [];
    let current: Submitter[] = [];
    let currentWeight = 0;
    for (const submitter of waiting) {
      const itemWeight = weight(submitter.item);
      if (current.length > 0 && currentWeight + itemWeight > maxWeight) {
        groups.push(current);
        current = [];
        currentWeight = 0;
      }
      current.push(submitter);
      currentWeight += itemWeight;
    }
    groups.push(current);
    waiting = [];
    for (const group of groups) void run(group);
  }

  return (item) =>
    new Promise<void>((resolve, reject) => {
      // setImmediate: after the I/O callbacks of this turn, so batches the bus hands over from
      // one fetch response (one after the other, each in its own microtask chain) join the group.
      if (waiting.length === 0) setImmediate(flush);
      waiting.push({ item, resolve, reject });
    });
}
