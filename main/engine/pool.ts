/** Runs `work` over `items`, at most `concurrency` at a time; the first failure stops new work and is thrown. */
export async function inPool<T>(items: T[], concurrency: number, work: (item: T) => Promise<void>): Promise<void> {
  await inSlices(items, concurrency, () => 1, async (slice) => {
    for (const item of slice) await work(item);
  });
}

/**
 * As inPool, over consecutive slices of `items`: each slice is as long as `size()` says when it is
 * taken (at least one item), so a slice can be sized by how the ones before it went.
 */
export async function inSlices<T>(items: T[], concurrency: number, size: () => number, work: (slice: T[]) => Promise<void>): Promise<void> {
  let next = 0;
  let failure: unknown = null;
  const runners = Array.from({ length: Math.min(concurrency, items.length) }, async () => {
    while (failure === null && next < items.length) {
      const slice = items.slice(next, next + Math.max(1, size()));
      next += slice.length;
      try {
        await work(slice);
      } catch (error) {
        failure ??= error;
      }
    }
  });
  await Promise.all(runners);
  if (failure !== null) throw failure;
}
