/** Runs `work` over `items`, at most `concurrency` at a time; the first failure stops new work and is thrown. */
export async function inPool<T>(items: T[], concurrency: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  let failure: unknown = null;
  const runners = Array.from({ length: Math.min(concurrency, items.length) }, async () => {
    while (failure === null && next < items.length) {
      const item = items[next++];
      if (item === undefined) continue;
      try {
        await work(item);
      } catch (error) {
        failure ??= error;
      }
    }
  });
  await Promise.all(runners);
  if (failure !== null) throw failure;
}
