/** Runs `work` on every item, a bounded number at a time, reporting how many are done. */
export async function eachConcurrently<T>(
  items: readonly T[],
  work: (item: T) => Promise<void>,
  onProgress?: (done: number) => Promise<void>,
  concurrency = 32,
): Promise<void> {
  let next = 0;
  let done = 0;
  const lane = async () => {
    while (next < items.length) {
      await work(items[next++]!);
      done++;
      if (onProgress && (done % 50 === 0 || done === items.length)) await onProgress(done);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, lane));
}
