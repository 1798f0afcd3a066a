/**
 * Retries `probe` until it stops throwing. The global read horizon is cluster-wide, so a
 * transaction of another test file on the same server can delay (never prevent) what we wait for.
 */
export async function eventually<T>(probe: () => Promise<T>, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await probe();
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
}
